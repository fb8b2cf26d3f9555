from django.urls import path

from hearline.analytics import action_views, report_views
from hearline.analytics import views as analytics
from hearline.incidents import views as incidents
from hearline.knowledge import views as knowledge
from hearline.notify import views as notify

from . import intake_views, staff_views

app_name = "staff"
urlpatterns = [
    path("", staff_views.home, name="home"),
    path("cases/", staff_views.case_list, name="cases"),
    path("cases/<int:case_id>/", staff_views.case_detail, name="case"),
    path("cases/<int:case_id>/act/<str:action>/", staff_views.act, name="act"),
    path("cases/<int:case_id>/reveal/", staff_views.reveal, name="reveal"),
    path("cases/<int:case_id>/readback/", intake_views.readback, name="readback"),
    path(
        "cases/<int:case_id>/attachments/<int:attachment_id>/",
        staff_views.attachment,
        name="attachment",
    ),
    path("cases/<int:case_id>/draft-article/", knowledge.draft_from_case, name="draft_article"),
    path(
        "cases/<int:case_id>/template-preview/",
        knowledge.template_preview,
        name="template_preview",
    ),
    path("notifications/", notify.notification_list, name="notifications"),
    path("notifications/badge/", notify.badge, name="notification_badge"),
    path("notifications/read/", notify.mark_read, name="notifications_read"),
    path("notifications/settings/", notify.notice_settings, name="notice_settings"),
    path(
        "notifications/<int:notification_id>/open/",
        notify.open_notification,
        name="notification_open",
    ),
    path("kb/", knowledge.article_list, name="knowledge"),
    path("kb/new/", knowledge.article_edit, name="article_new"),
    path("kb/gaps/", knowledge.gaps, name="knowledge_gaps"),
    path("kb/<int:article_id>/", knowledge.article_detail, name="article"),
    path("kb/<int:article_id>/edit/", knowledge.article_edit, name="article_edit"),
    path("kb/templates/", knowledge.template_list, name="reply_templates"),
    path("kb/templates/new/", knowledge.template_edit, name="reply_template_new"),
    path("kb/templates/<int:template_id>/", knowledge.template_edit, name="reply_template"),
    path("intake/", intake_views.intake, name="intake"),
    path("intake/lookup/", intake_views.lookup, name="lookup"),
    path("intake/suggest/", intake_views.suggest, name="suggest"),
    path("dispatch/bulk/", staff_views.bulk_dispatch, name="bulk_dispatch"),
    path("dashboard/", analytics.dashboard, name="dashboard"),
    path("analytics/scorecard/", analytics.scorecard_page, name="scorecard"),
    path("analytics/measures/", analytics.measures_page, name="measures"),
    path("analytics/cases/", analytics.drill_down, name="analytics_cases"),
    path("analytics/report/", report_views.report_index, name="monthly_reports"),
    path("analytics/report/<str:month>/", report_views.monthly_report, name="monthly_report"),
    path(
        "analytics/report/<str:month>/archived.pdf",
        report_views.archived_report,
        name="archived_report",
    ),
    path(
        "analytics/report/<str:month>/archive/",
        report_views.archive_now,
        name="archive_report",
    ),
    path("analytics/actions/", action_views.action_list, name="corrective_actions"),
    path("analytics/actions/new/", action_views.action_new, name="corrective_action_new"),
    path(
        "analytics/actions/<int:action_id>/",
        action_views.action_detail,
        name="corrective_action",
    ),
    path("incidents/", incidents.incident_list, name="incidents"),
    path("incidents/new/", incidents.incident_open, name="incident_open"),
    path("incidents/<int:incident_id>/", incidents.incident_detail, name="incident"),
    path("plan-steps/<int:step_id>/done/", incidents.complete_plan_step, name="plan_step_done"),
    path(
        "incidents/<int:incident_id>/act/<str:step>/", incidents.incident_act, name="incident_act"
    ),
    path(
        "incidents/<int:incident_id>/households/",
        incidents.households,
        name="incident_households",
    ),
    path(
        "incidents/<int:incident_id>/households/support/",
        incidents.record_support,
        name="incident_support",
    ),
]
