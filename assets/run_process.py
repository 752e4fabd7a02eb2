"""Every run records which process runs it (run tags), so a later run can tell a crashed run from a
live one (pipelines/recovery.py). The first step of a run adds the tags; later steps see them."""

from dagster import AssetExecutionContext

from school_groups.processes import PID, process_tags

_recorded: set[str] = set()


def record_run_process(context: AssetExecutionContext) -> None:
    if context.run_id in _recorded or PID in context.run.tags:
        return
    context.instance.add_run_tags(context.run_id, process_tags())
    _recorded.add(context.run_id)
