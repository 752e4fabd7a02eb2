"""Follow Ofsted's releases: poll the GOV.UK content API for new MI attachments."""


import hashlib
import json

from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    ResourceParam,
    RunStatusSensorContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    run_status_sensor,
    sensor,
)

from school_groups.sources.fetch import Fetcher
from school_groups.sources.locate import Candidate, attachment_candidates, content_api_url
from school_groups.sources.registry import MI_PAGE, SOURCES, GovUkAttachments

from .jobs import ofsted_refresh
from school_groups.settings import Settings

MI_SOURCES = [s for s in SOURCES
              if isinstance(s.locator, GovUkAttachments) and s.locator.page == MI_PAGE]


def mi_candidates(content: dict, base_url: str) -> list[Candidate]:
    return [c for source in MI_SOURCES for c in attachment_candidates(source, content, base_url)]


def decide(content: dict, base_url: str, cursor: str | None) -> tuple[list[Candidate], str]:
    """The attachments not seen before, and the new cursor (every matching URL seen so far)."""
    seen = set(json.loads(cursor)) if cursor else set()
    current = mi_candidates(content, base_url)
    new = [c for c in current if c.origin not in seen]
    return new, json.dumps(sorted(seen | {c.origin for c in current}))


@sensor(
    name="ofsted_mi_release_sensor",
    job=ofsted_refresh,
    minimum_interval_seconds=6 * 60 * 60,
    default_status=DefaultSensorStatus.STOPPED,
    description="Polls the GOV.UK content API of Ofsted's monthly MI page and requests one "
                "ofsted_refresh run when new MI files are attached. Cursor: the attachment URLs seen.",
)
def ofsted_mi_release_sensor(context: SensorEvaluationContext, settings: ResourceParam[Settings]) -> SensorResult:
    if settings.mode != "live":
        return SensorResult(skip_reason=f"source mode is {settings.mode!r}; this sensor only watches GOV.UK")
    content = Fetcher(settings).get_json(content_api_url(settings.govuk_base_url, MI_PAGE))
    new, cursor = decide(content, settings.govuk_base_url, context.cursor)
    if not new:
        return SensorResult(skip_reason="no new MI attachment on GOV.UK", cursor=cursor)
    key = hashlib.sha256("\n".join(sorted(c.origin for c in new)).encode()).hexdigest()[:16]
    names = ", ".join(f"{c.source.name} {c.snapshot_date}" for c in new)
    context.log.info(f"new MI files: {names}")
    return SensorResult(
        run_requests=[RunRequest(run_key=f"mi-{key}", tags={"school_groups/new_files": names[:1000]})],
        cursor=cursor,
    )


def _report(context: RunStatusSensorContext, settings: Settings) -> None:
    from .dq_report import write_report

    path, _ = write_report(context.instance, context.dagster_run.run_id, settings.home)
    context.log.info(f"data-quality report written to {path}")


@run_status_sensor(run_status=DagsterRunStatus.SUCCESS, name="dq_report_on_success",
                   default_status=DefaultSensorStatus.RUNNING,
                   description="Writes the data-quality report of every successful run.")
def dq_report_on_success(context: RunStatusSensorContext, settings: ResourceParam[Settings]):
    _report(context, settings)


@run_status_sensor(run_status=DagsterRunStatus.FAILURE, name="dq_report_on_failure",
                   default_status=DefaultSensorStatus.RUNNING,
                   description="Writes the data-quality report of every failed run.")
def dq_report_on_failure(context: RunStatusSensorContext, settings: ResourceParam[Settings]):
    _report(context, settings)


@sensor(name="recover_dead_runs", minimum_interval_seconds=30, default_status=DefaultSensorStatus.RUNNING,
        description="Every 30 s: marks failed any run still shown in progress whose process is gone (a crash, a "
                    "kill), gives back its slot in the warehouse pool and removes its half-written published "
                    "files (pipelines/recovery.py). It runs on a clock, not when a run starts, because a dead run "
                    "that still counts as in progress keeps every queued run from starting at all.")
def recover_dead_runs_sensor(context: SensorEvaluationContext, settings: ResourceParam[Settings]) -> SkipReason:
    from .recovery import recover_dead_runs

    done = recover_dead_runs(context.instance, settings.published_dir)
    for line in done:
        context.log.warning(line)
    return SkipReason("; ".join(done) if done else "no run in progress has lost its process")


SENSORS = [ofsted_mi_release_sensor, dq_report_on_success, dq_report_on_failure, recover_dead_runs_sensor]
