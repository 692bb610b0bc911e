from django import forms


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "1"), ("-1", "-1"), ("0", "0")], coerce=int)
