app_name = "publications"

urlpatterns = []
