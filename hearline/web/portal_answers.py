"""The portal's answers before a complaint (一次性告知 on the web): the knowledge base's
public articles offered while a citizen writes, the citizen's verdict on them, and the form
kept as typed for those who look first without JavaScript. The articles come from
`hearline.knowledge`; this is how the complaint form shows them."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from hearline.cases.workflow import NotFound
from hearline.core.ids import as_id
from hearline.knowledge.actions import do_record_deflection
from hearline.knowledge.models import Article
from hearline.knowledge.public_views import public_answers

from .intake_forms import MAX_PHOTOS, PortalForm


@require_GET
def suggest(request):
    """The answers for the complaint being typed (htmx, on the submission form)."""
    return render(
        request,
        "knowledge/_public_suggestions.html",
        {"answers": public_answers(request.GET.get("description", ""))},
    )


@require_POST
def article_verdict(request, article_id: int):
    """The citizen's verdict on an offered article, posted with the whole complaint form:
    solved → recorded and thanked, no case; not solved → recorded, and the form comes back
    with everything they wrote (photos aside), to submit. (The portal's "not solved" button
    submits the complaint itself; this answer is for a verdict posted without one.)"""
    solved = request.POST.get("solved") == "1"
    try:
        do_record_deflection(
            article_id, solved=solved, question=request.POST.get("description", "")
        )
    except NotFound:
        raise Http404 from None
    if solved:
        article = Article.objects.get(pk=article_id)
        return render(request, "knowledge/deflected.html", {"article": article})
    return render_kept_form(request, declined=True, kept=True)


def record_declined(request) -> None:
    """The citizen said an offered answer did not solve it and submitted the complaint:
    the verdict counts for the article (an article no longer public is passed over)."""
    article_id = as_id(request.POST["declined_article"])
    if article_id is None:
        return
    try:
        do_record_deflection(
            article_id,
            solved=False,
            question=request.POST.get("description", ""),
        )
    except NotFound:
        pass


def look_first(request):
    """Without JavaScript: the answers for what the citizen wrote, the form kept as typed."""
    return render_kept_form(
        request, answers=public_answers(request.POST.get("description", "")), kept=True
    )


def render_kept_form(request, **context):
    """The complaint form again with everything the citizen typed (photos aside), no errors
    shown: they have not asked to submit yet."""
    kept = {name: request.POST.get(name, "") for name in PortalForm.base_fields}
    return render(
        request,
        "web/submit.html",
        {"form": PortalForm(initial=kept), "max_photos": MAX_PHOTOS, **context},
    )
