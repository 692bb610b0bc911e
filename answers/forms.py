from django.utils.translation import gettext_lazy as _

from questions.forms import BodyForm, EditBodyForm


class AnswerForm(BodyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Your answer")


class EditAnswerForm(EditBodyForm):
    pass
