# Proposal, its history and ReviewerProfile now belong to the signoff app (signoff/migrations/0001
# takes them over, tables and rows untouched); guides forgets them here without dropping anything.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('guides', '0020_topics'),
        ('signoff', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='HistoricalProposal'),
                migrations.DeleteModel(name='Proposal'),
                migrations.DeleteModel(name='ReviewerProfile'),
            ],
        ),
    ]
