from django.urls import path

from gongshi.participation.views import developer, public, staff, supervisor

app_name = "participation"

urlpatterns = [
    # The public
    path("p/<str:code>/questions/", public.question_list, name="questions"),
    path("p/<str:code>/ask/", public.ask, name="ask"),
    path("p/<str:code>/verify/", public.verify, name="verify"),
    path("p/<str:code>/verify/confirm/", public.verify_confirm, name="verify_confirm"),
    path("p/<str:code>/open-days/<int:pk>/", public.open_day, name="open_day"),
    path("p/<str:code>/follow/", public.subscribe, name="follow"),
    path("q/<str:token>/", public.asker, name="asker"),
    path("follow/confirm/<str:token>/", public.confirm, name="confirm"),
    path("follow/unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    # The developer
    path("workspace/p/<str:code>/questions/", developer.question_list, name="dev_questions"),
    path("workspace/questions/<int:pk>/answer/", developer.answer, name="dev_answer"),
    path("workspace/p/<str:code>/open-days/", developer.open_day_list, name="dev_open_days"),
    path("workspace/open-days/<int:pk>/", developer.open_day_detail, name="dev_open_day"),
    path("workspace/findings/<int:pk>/respond/", developer.respond, name="dev_respond"),
    # Social supervisors
    path("invitations/<str:token>/", supervisor.invitation, name="invitation"),
    path("supervise/<int:pk>/", supervisor.supervise, name="supervise"),
    path("findings/<int:pk>/close/", supervisor.close_finding, name="close_finding"),
    # Regulators and administrators
    path("regulator/", staff.regulator, name="regulator"),
    path("admin/questions/<int:pk>/", staff.admin_question, name="admin_question"),
    path("admin/personal-data/", staff.personal_data_request, name="personal_data"),
]
