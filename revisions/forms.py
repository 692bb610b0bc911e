from django import forms

from questions.forms import QuestionForm


class RetagForm(forms.Form):
    """Only the tags of a question, checked as on the ask and edit forms."""

    tags = QuestionForm.base_fields["tags"]
    clean_tags = QuestionForm.clean_tags
