"""Schedules. Off by default: switch them on in the UI (Automation) once the source is live."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from .jobs import gias_refresh, ofsted_refresh, system_report

TIMEZONE = "Europe/London"

# GIAS regenerates its extracts overnight; 07:00 gives it margin.
gias_daily = ScheduleDefinition(
    name="gias_daily", job=gias_refresh, cron_schedule="0 7 * * *", execution_timezone=TIMEZONE,
    default_status=DefaultScheduleStatus.STOPPED,
    description="Daily GIAS refresh (the files are dated; the fetch falls back day by day).")

# Ofsted MI appears once a month on no fixed day; the sensor reacts to the release itself and
# this schedule is the backstop that catches anything the sensor missed.
ofsted_mi_monthly = ScheduleDefinition(
    name="ofsted_mi_monthly", job=ofsted_refresh, cron_schedule="0 8 28 * *", execution_timezone=TIMEZONE,
    default_status=DefaultScheduleStatus.STOPPED,
    description="Monthly Ofsted MI refresh (backstop for the GOV.UK release sensor).")

# After the month's MI refresh (the sensor or the 28th backstop): the sample, the estimates and
# the readers' report from what was published.
system_report_monthly = ScheduleDefinition(
    name="system_report_monthly", job=system_report, cron_schedule="0 9 1 * *", execution_timezone=TIMEZONE,
    default_status=DefaultScheduleStatus.STOPPED,
    description="Monthly sampled system report, on the 1st after the MI refresh.")

SCHEDULES = [gias_daily, ofsted_mi_monthly, system_report_monthly]
