"""`manage.py seed_bench` (the benchmark dataset) still runs: a smoke test on a tiny dataset."""

import pytest
from django.core.management import call_command

from community.identity import skeleton
from community.models import User
from forums.models import Post, Topic

pytestmark = pytest.mark.django_db


def test_seed_bench_seeds_a_tiny_dataset_and_writes_the_page_urls(tmp_path, capsys):
    urls = tmp_path / "urls.txt"

    call_command("seed_bench", "--topics", "30", urls_file=str(urls))  # one topic per forum

    assert Topic.objects.count() == 30
    assert Post.objects.count() >= 30
    assert Topic.objects.filter(slug="").count() == 0
    assert User.objects.get(username="user0001").username_skeleton == skeleton("user0001")  # bulk-made too
    names = {line.split()[0] for line in urls.read_text().splitlines()}
    assert {"index", "forum", "hot_first", "hot_last", "normal"} <= names
