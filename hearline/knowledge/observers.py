"""The knowledge base's reactions to case steps (see `hearline.cases.steps`): an answer
given from an article (closed on the spot, or the article sent) or a reply started from a
template is checked, named on the event and counted for the article or template."""

from __future__ import annotations

from hearline.cases.steps import Step, observe

from .actions import active_template, published_article, record_use

# How a step uses the article it names: the kind of use, and whether it must be public.
_ARTICLE_USES = {"close_on_spot": ("closed", False), "send_article": ("sent", True)}


def _use(step: Step) -> None:
    case, payload = step.case, step.payload
    if step.action in _ARTICLE_USES and payload.get("article"):
        kind, public_only = _ARTICLE_USES[step.action]
        article = published_article(payload["article"], public_only=public_only)
        step.details["article"] = {
            "id": article.pk,
            "title": article.title,
            "version": article.version,
        }
        record_use(case, seq=case.version, kind=kind, actor=step.actor, article=article)
    elif step.action == "reply" and payload.get("template"):
        template = active_template(payload["template"])
        step.details["template"] = {"id": template.pk, "name": template.name}
        record_use(case, seq=case.version, kind="replied", actor=step.actor, template=template)


def connect() -> None:
    """Register the knowledge base's observer (from the app's ready())."""
    observe("record", "knowledge.use", _use, actions=["close_on_spot", "send_article", "reply"])
