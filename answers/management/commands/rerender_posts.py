"""Render every question's and answer's stored `body_html` again from its Markdown `body`.

Posts are rendered once, on write (`core.models.Post.save`), so a change to the renderer or the
sanitizer (code highlighting, say) shows only on posts written after it. This brings the older
ones along, in batches, each batch one transaction, printing progress. Only rows whose HTML
changes are written. Posts imported from a Stack Exchange dump keep the dump's HTML until now;
afterwards they show as their Markdown source (converted from that HTML on import) renders.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from answers.models import Answer
from core.markdown import render_post
from questions.models import Question


class Command(BaseCommand):
    help = "Render every question's and answer's HTML again from its Markdown source."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Posts read and written per transaction (default 500).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the posts whose HTML would change; write nothing.",
        )

    def handle(self, *args, batch_size, dry_run, **options):
        started = time.monotonic()
        batch_size = max(1, batch_size)
        changed = seen = 0
        for model in (Question, Answer):
            total = model.objects.count()
            done = 0
            last_pk = 0
            while True:
                rows = list(
                    model.objects.filter(pk__gt=last_pk)
                    .order_by("pk")
                    .values_list("pk", "body", "body_html")[:batch_size]
                )
                if not rows:
                    break
                last_pk = rows[-1][0]
                stale = []
                for pk, body, old_html in rows:
                    html = render_post(body)
                    if html != old_html:
                        stale.append(model(pk=pk, body_html=html))
                if stale and not dry_run:
                    with transaction.atomic():
                        model.objects.bulk_update(stale, ["body_html"])
                done += len(rows)
                changed += len(stale)
                name = model._meta.verbose_name_plural
                self.stdout.write(f"{name}: {done}/{total}, {len(stale)} changed in this batch")
            seen += done
        seconds = time.monotonic() - started
        verb = "would change" if dry_run else "re-rendered"
        self.stdout.write(
            self.style.SUCCESS(f"{changed} of {seen} posts {verb} in {seconds:.1f}s.")
        )
