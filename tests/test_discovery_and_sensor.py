"""Finding Ofsted files through the GOV.UK content API, and the release sensor."""

import dataclasses
import json
from datetime import date

from dagster import build_sensor_context

from school_groups.sources.fetch import Fetcher
from school_groups.sources.registry import get_source, match_file
from pipelines.sensors import ofsted_mi_release_sensor
from school_groups.settings import load_settings

from .govuk import MI_FILES, serve_mi_page, serve_official_stats


def live_settings(server, tmp_path):
    return dataclasses.replace(load_settings(), source="live", home=tmp_path,
                               govuk_base_url=server.base_url, http_retries=0)


def test_content_api_picks_each_family_by_title_and_date(local_server, tmp_path):
    urls = serve_mi_page(local_server)
    fetcher = Fetcher(live_settings(local_server, tmp_path))
    latest = fetcher.candidates(get_source("ofsted_mi_latest"))
    in_year = fetcher.candidates(get_source("ofsted_mi_in_year"))
    assert [(c.snapshot_date, c.origin) for c in latest] == [
        (date(2024, 8, 31), urls[0]), (date(2026, 6, 30), urls[3])]
    assert [(c.snapshot_date, c.origin) for c in in_year] == [
        (date(2025, 5, 31), urls[1]), (date(2026, 2, 28), urls[2])]
    # the ODS of the same release is not a CSV and is never offered
    assert all(c.file_name.endswith(".csv") for c in latest + in_year)


def test_official_statistics_are_found_through_the_collection(local_server, tmp_path):
    url = serve_official_stats(local_server)
    found = Fetcher(live_settings(local_server, tmp_path)).candidates(get_source("ofsted_official_stats"))
    assert [(c.snapshot_date, c.origin) for c in found] == [(date(2017, 12, 31), url)]


def test_file_names_map_to_sources_the_way_titles_do():
    for title, _, name in MI_FILES:
        by_name, by_title = match_file(name), get_source(match_file(name)[0].name).snapshot_date("", title)
        assert by_name[1] == by_title
    # spelling drift in real names: State_funded, 'at' without 'as', 'December' in full
    assert match_file("State_funded_schools_inspections_and_outcomes_as_at_31_August_2024.csv")[1] == date(2024, 8, 31)
    assert match_file("Management_information_-_state-funded_schools_-_latest_inspections_at_31_December_2020.csv") \
        == (get_source("ofsted_mi_latest"), date(2020, 12, 31))
    assert match_file("links_edubasealldata20250422.csv") == (get_source("gias_links"), date(2025, 4, 22))
    assert match_file("edubasealldata20250422.csv")[0].name == "gias_establishments"
    assert match_file("edubasealldata20251301.csv") is None     # not a date


def _sensor(server, tmp_path, cursor):
    resources = {"settings": load_settings(source="live", home=tmp_path, govuk_base_url=server.base_url)}
    with build_sensor_context(cursor=cursor, resources=resources) as context:
        return ofsted_mi_release_sensor(context)


def test_sensor_requests_one_run_for_one_new_attachment_and_none_after(local_server, tmp_path):
    urls = serve_mi_page(local_server)
    seen_before = json.dumps(sorted(urls[:-1]))          # the 30 June 2026 file is new
    result = _sensor(local_server, tmp_path, seen_before)
    assert len(result.run_requests) == 1
    assert "ofsted_mi_latest 2026-06-30" in result.run_requests[0].tags["school_groups/new_files"]
    assert set(json.loads(result.cursor)) == set(urls)

    again = _sensor(local_server, tmp_path, result.cursor)
    assert not again.run_requests
    assert again.skip_reason is not None
    assert set(json.loads(again.cursor)) == set(urls)


def test_sensor_stays_quiet_outside_live_mode(tmp_path):
    resources = {"settings": load_settings(source="sample", home=tmp_path)}
    with build_sensor_context(resources=resources) as context:
        result = ofsted_mi_release_sensor(context)
    assert not result.run_requests and "sample" in result.skip_reason.skip_message
