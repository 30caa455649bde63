# The sign-off's models move here from guides (issue 23). Their tables already exist, made by
# guides' migrations, so this only tells Django's state that they belong to signoff now, still on
# guides' tables; 0002 renames the tables and moves their content types and permissions.

import django.core.serializers.json
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('guides', '0019_position_doses'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalProposal',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('status', models.CharField(choices=[('waiting', 'Waiting for sign-off'), ('sent-back', 'Sent back to the author'), ('approved', 'Approved'), ('withdrawn', 'Withdrawn')], default='waiting', max_length=20)),
                        ('kind', models.CharField(blank=True, choices=[('clinical', 'Clinical review'), ('wording', 'Wording change'), ('review', 'Review with no change'), ('reorder', 'Order change')], max_length=20)),
                        ('proposed', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                        ('base', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                        ('revision', models.PositiveIntegerField(default=1)),
                        ('reason', models.CharField(blank=True, help_text='Why the change is needed, for the reviewer.', max_length=200)),
                        ('note', models.CharField(blank=True, help_text="One short line readers see under 'What changed'.", max_length=200, verbose_name='note for readers')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('reviewer_signature', models.CharField(blank=True, max_length=200)),
                        ('comment', models.TextField(blank=True, help_text="The reviewer's words to the authors.")),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('content_type', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contenttypes.contenttype')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reviewer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'guides_historicalproposal',
                        'verbose_name': 'historical proposal',
                        'verbose_name_plural': 'historical proposals',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ReviewerProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_name', models.CharField(help_text='For example: Dr Amira Shah', max_length=100)),
                        ('role', models.CharField(help_text='Their profession, for example: Physiotherapist', max_length=100)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reviewer_profile', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'guides_reviewerprofile',
                        'ordering': ('public_name',),
                    },
                ),
                migrations.CreateModel(
                    name='Proposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('status', models.CharField(choices=[('waiting', 'Waiting for sign-off'), ('sent-back', 'Sent back to the author'), ('approved', 'Approved'), ('withdrawn', 'Withdrawn')], default='waiting', max_length=20)),
                        ('kind', models.CharField(blank=True, choices=[('clinical', 'Clinical review'), ('wording', 'Wording change'), ('review', 'Review with no change'), ('reorder', 'Order change')], max_length=20)),
                        ('proposed', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                        ('base', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                        ('revision', models.PositiveIntegerField(default=1)),
                        ('reason', models.CharField(blank=True, help_text='Why the change is needed, for the reviewer.', max_length=200)),
                        ('note', models.CharField(blank=True, help_text="One short line readers see under 'What changed'.", max_length=200, verbose_name='note for readers')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('reviewer_signature', models.CharField(blank=True, max_length=200)),
                        ('comment', models.TextField(blank=True, help_text="The reviewer's words to the authors.")),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('authors', models.ManyToManyField(related_name='proposals', to=settings.AUTH_USER_MODEL)),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
                        ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'guides_proposal',
                        'ordering': ('created_at', 'pk'),
                        'permissions': [('approve_proposal', 'Can approve or send back proposed changes')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status__in', ('waiting', 'sent-back')), models.Q(('kind', 'reorder'), _negated=True)), fields=('content_type', 'object_id'), name='one_open_proposal_per_item')],
                    },
                ),
            ],
        ),
    ]
