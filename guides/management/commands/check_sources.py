import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from guides import source_checks
from guides.models import Source


class Command(BaseCommand):
    help = (
        "Ask every source's address (HEAD, then GET) whether it still answers, has moved, or says it was "
        "reviewed since an editor last checked it; store what was seen on each source (the admin home and "
        "check_content list the problems) and print a table. Run it daily. Exits 0 even when a source is "
        "broken: that is work for an editor, not a failure of the site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds to wait for each answer (10).")
        parser.add_argument("--pause", type=float, default=1.0, help="Seconds between two requests to one site (1).")

    def handle(self, *args, **options):
        sources = list(Source.objects.all())
        results = source_checks.check_addresses(
            [(source.url, source.review_date_seen, source.checked_on) for source in sources],
            timeout=options["timeout"],
            pause=options["pause"],
        )
        now = timezone.now()
        for source in sources:
            result = results[source.url]
            source.status, source.status_detail = result.status, result.detail[:300]
            source.status_checked_at, source.final_url = now, result.final_url[:500]
            source.review_date_seen = result.reviewed_on or source.review_date_seen
            # Bookkeeping, not copy: no history row, no new page-cache generation.
            Source.objects.filter(pk=source.pk).update(
                status=source.status, status_detail=source.status_detail, status_checked_at=now,
                final_url=source.final_url, review_date_seen=source.review_date_seen,
            )
        if options["format"] == "json":
            problems = [source for source in sources if source.has_problem]
            self.stdout.write(json.dumps({"checked": len(sources), "problems": len(problems),
                                          "sources": [source.as_dict() for source in sources]}, indent=2))
        else:
            self.write_table(sources)

    def write_table(self, sources):
        width = max([len(str(source)) for source in sources] + [6])
        self.stdout.write(f"{'STATUS':8} {'SOURCE':{width}} WHAT WAS FOUND")
        for source in sources:
            style = self.style.SUCCESS if source.status == Source.Status.OK else self.style.WARNING
            found = source.status_detail or (f"last reviewed {source.review_date_seen:%Y-%m-%d}"
                                             if source.review_date_seen else "")
            self.stdout.write(style(f"{source.status.upper():8} {str(source):{width}} {found or source.url}"))
            if source.has_problem:
                self.stdout.write(f"{'':8} {'':{width}} {source.url}")
        problems = sum(source.has_problem for source in sources)
        self.stdout.write(f"{len(sources)} source(s) checked, {problems} need an editor.")

