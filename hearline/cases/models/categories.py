from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hearline.core.tree import TreeNode

# The data types of a category's extra fields; the names are Open311 GeoReport v2's.
FIELD_TYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
LIST_TYPES = ("singlevaluelist", "multivaluelist")


def validate_extra_fields(value) -> None:
    """Extra fields are a list of {code, datatype, description, required, values?}; list
    types carry their choices as values: [{key, name}]."""
    if not isinstance(value, list):
        raise ValidationError(_("Extra fields must be a list."))
    codes = set()
    for item in value:
        if not isinstance(item, dict) or not str(item.get("code", "")).strip():
            raise ValidationError(_("Every extra field needs a code."))
        if item["code"] in codes:
            raise ValidationError(_("Extra field codes must be unique."))
        codes.add(item["code"])
        if item.get("datatype", "string") not in FIELD_TYPES:
            raise ValidationError(_("Unknown data type: %(t)s"), params={"t": item.get("datatype")})
        if item.get("datatype") in LIST_TYPES and not all(
            isinstance(v, dict) and "key" in v for v in item.get("values") or [None]
        ):
            raise ValidationError(_("A list field needs values with a key each."))


class Category(TreeNode):
    """A complaint category; categories form an admin-managed tree of any depth. A category
    may ask for extra fields (e.g. the water account number), shown at intake and offered to
    Open311 clients as the service definition."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    extra_fields = models.JSONField(
        _("extra fields"),
        default=list,
        blank=True,
        validators=[validate_extra_fields],
        help_text=_(
            'A list such as [{"code": "account", "datatype": "string", "required": true, '
            '"description": "户号"}]; list types add "values": [{"key": "1", "name": "…"}].'
        ),
    )

    class Meta(TreeNode.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def describe_answers(self, answers: dict) -> list[tuple[str, str]]:
        """(field description, answer) pairs for display; list answers by their names."""
        described = []
        for spec in self.extra_fields:
            if spec["code"] not in answers:
                continue
            names = {str(v["key"]): v.get("name", v["key"]) for v in spec.get("values") or []}
            value = answers[spec["code"]]
            values = value if isinstance(value, list) else [value]
            shown = "、".join(str(names.get(str(v), v)) for v in values)
            described.append((spec.get("description") or spec["code"], shown))
        return described

    def attribute_errors(self, answers: dict, *, enforce_required: bool) -> dict[str, str]:
        """Per-field error codes for answers to this category's extra fields. A missing
        required field is an error only with `enforce_required` (a caller on the hotline
        may not know their account number; an Open311 form can always ask)."""
        errors: dict[str, str] = {}
        declared = {f["code"]: f for f in self.extra_fields}
        for code in answers:
            if code not in declared:
                errors[code] = "unknown_field"
        for code, spec in declared.items():
            value = answers.get(code)
            empty = value is None or value == "" or value == []
            if empty:
                if spec.get("required") and enforce_required:
                    errors[code] = "required"
                continue
            kind = spec.get("datatype", "string")
            keys = {str(v["key"]) for v in spec.get("values") or []}
            values = value if isinstance(value, list) else [value]
            if kind == "number":
                try:
                    float(str(value))
                except ValueError:
                    errors[code] = "invalid_number"
            elif kind in LIST_TYPES and (
                any(str(v) not in keys for v in values)
                or (kind == "singlevaluelist" and len(values) != 1)
            ):
                errors[code] = "invalid_choice"
            elif kind not in LIST_TYPES and isinstance(value, list):
                errors[code] = "invalid"
        return errors
