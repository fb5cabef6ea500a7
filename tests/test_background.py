"""builder.background: a call made in a forked child gives what a plain call gives, and any failure of the child
falls back to a plain call (so an error is raised in this process). No timing is asserted."""

from __future__ import annotations

import os

import pytest

from builder import background, pipeline
from conftest import DATA


@pytest.fixture
def forking(monkeypatch):
    """Two workers allowed, and the thread check passed (pytest or a browser fixture may run threads)."""
    monkeypatch.setenv("CASEBOOK_JOBS", "2")
    monkeypatch.setattr(background.threading, "active_count", lambda: 1)


def test_the_call_runs_in_a_child_and_its_result_comes_back(forking):
    parent = os.getpid()
    pending = background.start(lambda n: (os.getpid(), list(range(n))), 100_000)
    child, numbers = pending.result()
    assert child != parent  # made in the child, not by the fallback
    assert numbers == list(range(100_000))  # larger than a pipe's buffer


def test_an_error_in_the_child_is_raised_here(forking):
    seen = []

    def fail(arg):
        seen.append(os.getpid())
        raise ValueError(f"bad {arg}")

    with pytest.raises(ValueError, match="bad 7"):
        background.start(fail, 7).result()
    assert seen == [os.getpid()]  # the child's call is not seen here; this process called it again


def test_a_crashed_child_or_an_unpicklable_result_is_made_here(forking):
    parent = os.getpid()

    def crash(_):
        if os.getpid() != parent:
            os._exit(3)
        return "made here"

    assert background.start(crash, None).result() == "made here"
    here = background.start(lambda _: (lambda: None) if os.getpid() != parent else "made here", None)
    assert here.result() == "made here"


def test_cancel_reaps_the_child_and_result_then_computes_here(forking):
    pending = background.start(lambda _: os.getpid(), None)
    pending.cancel()
    assert pending.result() == os.getpid()


def test_one_job_means_no_child(monkeypatch):
    monkeypatch.setenv("CASEBOOK_JOBS", "1")
    assert background.start(lambda _: os.getpid(), None).result() == os.getpid()


def test_downloads_made_in_a_child_are_the_downloads_made_here(forking, monkeypatch):
    forked = pipeline.build_pages(DATA / "valid")
    monkeypatch.setenv("CASEBOOK_JOBS", "1")
    plain = pipeline.build_pages(DATA / "valid")
    assert forked.files.keys() == plain.files.keys() and len(plain.files) > 5
    assert all(forked.files[k] == plain.files[k] for k in plain.files)
    assert {k: p.to_markdown() for k, p in forked.pages.items()} == {k: p.to_markdown() for k, p in plain.pages.items()}
