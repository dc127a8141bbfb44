from django.urls import path

from gongshi.public.feeds import CityFeed, ProjectFeed
from gongshi.public.views import data, kiosk, paper, prefs, project

app_name = "public"

urlpatterns = [
    path("elderly/", prefs.toggle_elderly, name="toggle_elderly"),
    path("projects.csv", data.projects_csv, name="projects_csv"),
    path("projects.xlsx", data.projects_xlsx, name="projects_xlsx"),
    path("feeds/city/<str:region_code>.atom", CityFeed(), name="city_feed"),
    path("kiosk/", kiosk.kiosk_home, name="kiosk"),
    path("kiosk/p/<str:code>/", kiosk.kiosk_project, name="kiosk_project"),
    path("p/<str:code>/", project.project_page, name="project"),
    path("p/<str:code>/i/<str:item_code>/", project.item_page, name="item"),
    path("p/<str:code>/i/<str:item_code>/<int:instance>/", project.instance_page, name="instance"),
    path("p/<str:code>/b/<int:pk>/", project.building_page, name="building"),
    path("p/<str:code>/household/", project.household_page, name="household"),
    path("p/<str:code>/qr.png", paper.qr_png_view, name="qr_png"),
    path("p/<str:code>/qr.svg", paper.qr_svg_view, name="qr_svg"),
    path("p/<str:code>/board.pdf", paper.board_pdf, name="board"),
    path("p/<str:code>/screen/", paper.screen, name="screen"),
    path("p/<str:code>/widget/", paper.widget, name="widget"),
    path("p/<str:code>/widget.js", paper.widget_js, name="widget_js"),
    path("p/<str:code>/feed.atom", ProjectFeed(), name="project_feed"),
    path("p/<str:code>/disclosures.csv", data.disclosures_csv, name="disclosures_csv"),
    path("p/<str:code>/disclosures.xlsx", data.disclosures_xlsx, name="disclosures_xlsx"),
]
