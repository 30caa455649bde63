from django.db import migrations

# "permanent*" alone also caught safety copy such as "this can cause permanent nerve damage";
# what a health page must not promise is a permanent result.
NO_PROMISE = (
    "No one can promise how a back will respond, or that pain will not come back. Say what often "
    "happens: 'most back pain gets better within a few weeks'."
)
PERMANENT_RESULTS = [
    "permanent* relie*",
    "permanent* fix*",
    "permanent* result*",
    "permanent* cure*",
    "permanently fix*",
    "permanently ease*",
    "permanently get rid",
    "gone for good",
    "fix* * back for good",
]


def promise_results_not_damage(apps, schema_editor):
    ClaimRule = apps.get_model("guides", "ClaimRule")
    ClaimRule.objects.filter(phrase="permanent*", explanation=NO_PROMISE).delete()
    for phrase in PERMANENT_RESULTS:
        ClaimRule.objects.get_or_create(
            phrase=phrase, defaults={"severity": "error", "explanation": NO_PROMISE, "allow_when_negated": True}
        )


class Migration(migrations.Migration):
    dependencies = [("guides", "0014_clinical_signoff")]

    operations = [migrations.RunPython(promise_results_not_damage, migrations.RunPython.noop)]
