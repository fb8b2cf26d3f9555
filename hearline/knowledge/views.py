"""Staff pages of the knowledge base: search and list, an article with its history and use,
writing articles and reply templates, drafts from well-rated replies, the gaps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hearline.accounts.roles import Role
from hearline.cases.labels import workflow_error_message
from hearline.cases.queries import access_case
from hearline.cases.workflow import Conflict, InvalidInput, NotAllowed, NotFound, WorkflowError
from hearline.core.ids import as_id

from . import stats
from .access import editable_owners, is_staff_reader, may_edit, may_manage_templates
from .actions import do_draft_article_from_case, do_save_article, do_save_template
from .forms import ArticleForm, TemplateForm
from .models import Article, ArticleStatus, ReplyTemplate
from .placeholders import render as render_template
from .search import search

GAP_ROLES = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})


def _case_or_404(user, case_id: int):
    try:
        return access_case(user, case_id)
    except NotFound:
        raise Http404 from None


def _require_reader(request) -> None:
    if not is_staff_reader(request.user):
        raise PermissionDenied


def _article_or_404(article_id: int) -> Article:
    article = (
        Article.objects.select_related("owner", "responsible_department")
        .filter(pk=article_id)
        .first()
    )
    if article is None:
        raise Http404
    return article


@login_required
@require_GET
def article_list(request):
    """Search (ranked) or browse the articles; the user's department's stale ones on top."""
    _require_reader(request)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if q:
        articles = search(q, public_only=False, limit=20)
    else:
        articles = Article.objects.select_related("owner").order_by("-updated_at")
        if status in ArticleStatus.values:
            articles = articles.filter(status=status)
        articles = articles[:200]
    return render(
        request,
        "knowledge/list.html",
        {
            "q": q,
            "status": status,
            "statuses": ArticleStatus.choices,
            "articles": articles,
            "stale": stats.stale(editable_owners(request.user))[:50],
            "may_write": may_edit(request.user, None),
            "may_templates": may_manage_templates(request.user),
            "may_gaps": request.user.is_superuser or bool(request.user.roles & GAP_ROLES),
        },
    )


@login_required
@require_GET
def article_detail(request, article_id: int):
    """The article as staff read it, its versions and how it has been used."""
    _require_reader(request)
    article = _article_or_404(article_id)
    return render(
        request,
        "knowledge/article.html",
        {
            "article": article,
            "categories": article.categories.all(),
            "versions": article.versions.select_related("actor")[:50],
            "usage": stats.usage(article),
            "may_edit": may_edit(request.user, article.owner),
        },
    )


@login_required
def article_edit(request, article_id: int | None = None):
    """Write a new article or change one; errors next to the fields, nothing saved."""
    article = _article_or_404(article_id) if article_id else None
    if not may_edit(request.user, article.owner if article else None):
        raise PermissionDenied
    form = ArticleForm(request.POST or None, user=request.user)
    if request.method != "POST" and article:
        form = ArticleForm.of(article, request.user)
    if request.method == "POST" and form.is_valid():
        values, categories = form.values()
        try:
            saved = do_save_article(
                values=values,
                categories=categories,
                article_id=article.pk if article else None,
                note=form.cleaned_data["note"],
                expected_version=as_id(request.POST.get("version", "")),
                acting_user=request.user,
            )
        except InvalidInput as error:
            form.add_action_errors(error)
        except (NotAllowed, Conflict) as error:
            form.add_error(None, workflow_error_message(error))
        else:
            messages.success(request, _("Article saved."))
            return redirect("staff:article", saved.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "knowledge/article_form.html", {"form": form, "article": article}, status=status
    )


@login_required
@require_POST
def draft_from_case(request, case_id: int):
    """Turn the case's well-rated reply into a draft article and open it for editing."""
    case = _case_or_404(request.user, case_id)
    try:
        article = do_draft_article_from_case(case.pk, acting_user=request.user)
    except (NotFound, NotAllowed):
        raise PermissionDenied from None
    except WorkflowError as error:
        messages.error(request, workflow_error_message(error))
        return redirect("staff:case", case_id=case.pk)
    messages.success(request, _("Draft article made from the reply; check it and publish."))
    return redirect("staff:article_edit", article.pk)


@login_required
@require_GET
def gaps(request):
    """The questions that come up most often without an article: categories by cases and
    frequent words search finds nothing for."""
    if not (request.user.is_superuser or request.user.roles & GAP_ROLES):
        raise PermissionDenied
    return render(
        request,
        "knowledge/gaps.html",
        {
            "categories": stats.uncovered_categories(),
            "answering": stats.answering_articles(),
            "terms": stats.uncovered_terms(),
            "category_days": stats.GAP_DAYS,
            "term_days": stats.TERM_DAYS,
        },
    )


@login_required
@require_GET
def template_list(request):
    _require_reader(request)
    return render(
        request,
        "knowledge/templates.html",
        {
            "templates": ReplyTemplate.objects.prefetch_related("categories"),
            "may_templates": may_manage_templates(request.user),
        },
    )


@login_required
def template_edit(request, template_id: int | None = None):
    """Write or change a reply template; an unknown placeholder is refused, named."""
    if not may_manage_templates(request.user):
        raise PermissionDenied
    template = ReplyTemplate.objects.filter(pk=template_id).first() if template_id else None
    if template_id and template is None:
        raise Http404
    form = TemplateForm(request.POST or None)
    if request.method != "POST" and template:
        form = TemplateForm.of(template)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        categories = list(data.pop("categories"))
        try:
            do_save_template(
                values=data,
                categories=categories,
                template_id=template.pk if template else None,
                acting_user=request.user,
            )
        except InvalidInput as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("Template saved."))
            return redirect("staff:reply_templates")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "knowledge/template_form.html",
        {"form": form, "template": template},
        status=status,
    )


@login_required
@require_GET
def template_preview(request, case_id: int):
    """The reply textarea filled with the chosen template for this case (htmx): the handler
    reads and edits it before sending."""
    case = _case_or_404(request.user, case_id)
    pk = as_id(request.GET.get("template", ""))
    template = ReplyTemplate.objects.filter(pk=pk, active=True).first() if pk else None
    text = render_template(template.body, case) if template else request.GET.get("reply", "")
    return HttpResponse(
        '<textarea name="reply" cols="40" rows="5" required id="id_reply">'
        f"{escape(text)}</textarea>"
    )
