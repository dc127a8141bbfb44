"""A part of the demo seed for tests that need demo-like data: three projects, a few seconds."""

from __future__ import annotations

# A project with every kind of history (corrections, a return, questions, open days), a
# public-housing project (a declaration of 'does not apply') and a key-supervision project.
DEMO_PROJECTS = ("YRW2QA", "HYBZFA", "JJFDRA")


def seed_some_of_the_demo(codes=DEMO_PROJECTS):
    """Run the demo seed for ``codes`` only (the whole demo takes ~20 s)."""
    from gongshi.demo import data
    from gongshi.demo.seed import seed_demo

    everything = data.PROJECTS
    data.PROJECTS = [p for p in everything if p.code in codes]
    try:
        return seed_demo()
    finally:
        data.PROJECTS = everything
