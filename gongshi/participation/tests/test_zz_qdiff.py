import datetime as dt
import traceback
from django.utils import timezone
from gongshi.participation import opendays, questions, workdays
from gongshi.participation.tests.conftest import verify

def test_diff(world, monkeypatch):
    token = verify()
    questions.ask_question(world.project, token, body="第1个问题，请问？")
    orig = workdays.WorkingCalendar.load
    def load(self, a, b):
        print("LOAD", a, b, "".join(traceback.format_stack(limit=6)[:-1]), flush=True)
        return orig(self, a, b)
    monkeypatch.setattr(workdays.WorkingCalendar, "load", load)
    world.client("anonymous").get(f"/p/{world.project.code}/")
