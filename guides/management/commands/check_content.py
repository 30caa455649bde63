import json
import sys

from django.core.management.base import BaseCommand

from guides.content_checks import check_site, pages_of
from guides.models import Source


class Command(BaseCommand):
    help = (
        "Check every piece of content (reading age, long sentences, hard words, banned claims, safety "
        "structure, links, reviews) and print the problems, grouped by page, with the reading figures. "
        "Exits with status 1 when there is any error (for CI)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, **options):
        pages = pages_of(check_site())
        errors = sum(len(r.report.errors) for reports in pages.values() for r in reports)
        warnings = sum(len(r.report.warnings) for reports in pages.values() for r in reports)
        # What check_sources last found: broken, moved or newly reviewed sources (it asks the sites; this does not).
        sources = list(Source.objects.with_problems())
        if options["format"] == "json":
            self.stdout.write(json.dumps(
                {**as_json(pages, errors, warnings), "sources": [source.as_dict() for source in sources]}, indent=2
            ))
        else:
            self.write_text(pages, errors, warnings)
            for source in sources:
                self.stdout.write(self.style.WARNING(
                    f"SOURCE {source.get_status_display().upper()} {source}: {source.status_detail or source.url}"
                ))
        if errors:
            sys.exit(1)

    def write_text(self, pages, errors, warnings):
        for page, reports in pages.items():
            self.stdout.write(self.style.MIGRATE_HEADING(page))
            for page_report in reports:
                report = page_report.report
                f = report.figures
                self.stdout.write(
                    f"  {report.item.kind}: {report.item.label}\n"
                    f"    reading age {f.reading_age:.1f} (Flesch-Kincaid grade {f.grade:.1f}, reading ease "
                    f"{f.reading_ease:.1f}), {f.words} words, {f.sentences} sentences"
                )
                for problem in report.problems:
                    style = self.style.ERROR if problem.severity == "error" else self.style.WARNING
                    self.stdout.write(style(f"    {problem.severity.upper()} {problem.field}: {problem.message}"))
                    if problem.excerpt:
                        self.stdout.write(f"      “{problem.excerpt}”")
        summary = f"{errors} error(s), {warnings} warning(s)."
        self.stdout.write(self.style.ERROR(summary) if errors else self.style.SUCCESS(summary))


def as_json(pages, errors, warnings):
    return {
        "errors": errors,
        "warnings": warnings,
        "pages": [
            {
                "page": page,
                "items": [
                    {
                        "kind": r.report.item.kind,
                        "label": r.report.item.label,
                        "url": r.url,
                        "figures": r.report.figures.as_dict(),
                        "fields": {name: f.as_dict() for name, f in r.report.field_figures.items()},
                        "problems": [p.as_dict() for p in r.report.problems],
                    }
                    for r in reports
                ],
            }
            for page, reports in pages.items()
        ],
    }
