"""seed_demo leaves a company waiting for Harbin's decision and a unit invited by a project."""

from gongshi.accounts.models import User
from gongshi.demo import data
from gongshi.demo.registrations import INVITED_CODE, PENDING_CODE, seed_registrations
from gongshi.organisations.models import RegistrationStatus
from gongshi.regions.models import Region
from gongshi.registrations.models import Invitation, Registration


def test_a_pending_registration_waits_on_harbins_worklist(demo):
    registration = Registration.objects.select_related("organisation__region").get()
    assert registration.organisation.credit_code == PENDING_CODE
    assert registration.organisation.registration_status == RegistrationStatus.PENDING
    harbin = Region.objects.get(code="230100")
    assert list(Registration.objects.pending().within(harbin)) == [registration]
    assert registration.licence.content_type == "application/pdf"
    newcomer = User.objects.get(username="demo-newcomer")
    assert newcomer.check_password(data.DEMO_PASSWORD)


def test_a_harbin_project_invited_an_unregistered_testing_lab(demo):
    invitation = Invitation.objects.select_related("project").get()
    assert invitation.credit_code == INVITED_CODE
    assert invitation.project.region.code.startswith("2301")
    assert invitation.accepted_at is None


def test_seeding_registrations_again_changes_nothing(demo):
    assert seed_registrations(None) == 0
    assert Registration.objects.count() == 1
