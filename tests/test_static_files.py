import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

# collected_static (tests/conftest.py): the static files collected, hashed and compressed, once a run.


@pytest.mark.django_db
def test_hashed_static_files_are_served_immutable_and_precompressed(collected_static):
    url = staticfiles_storage.url("css/site.css")
    assert url != "/static/css/site.css"  # the name carries a content hash
    assert (collected_static / url.removeprefix("/static/")).with_suffix(".css.br").exists()

    client = Client()  # a new handler, so whitenoise scans the collected files
    brotli = client.get(url, headers={"accept-encoding": "br, gzip"})
    assert brotli.status_code == 200
    assert brotli["Content-Encoding"] == "br"
    assert "immutable" in brotli["Cache-Control"]
    assert "max-age=315360000" in brotli["Cache-Control"]
    gzip = client.get(url, headers={"accept-encoding": "gzip"})
    assert gzip["Content-Encoding"] == "gzip"


@pytest.mark.django_db
def test_the_manifest_of_every_static_file_is_not_served(collected_static):
    assert (collected_static / "staticfiles.json").exists()
    client = Client()
    for name in ("staticfiles.json", "staticfiles.json.gz", "staticfiles.json.br"):
        assert client.get(f"/static/{name}").status_code == 404, name
    assert client.get(staticfiles_storage.url("css/site.css")).status_code == 200
