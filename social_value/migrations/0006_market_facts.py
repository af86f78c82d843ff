# Market facts at award on each agreement (issue 11, "Market shaping"): the provider type snapshot
# and the spend policy band. Existing contracts are filled by tenders 0018_agreement_market_facts.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("social_value", "0005_delivery_returns"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreement",
            name="band_label",
            field=models.CharField(
                blank=True,
                help_text="Empty when the council had no bands",
                max_length=150,
                verbose_name="Spend policy band",
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="band_lower",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True),
        ),
        migrations.AddField(
            model_name="agreement",
            name="band_reserved_for_local",
            field=models.BooleanField(default=False, verbose_name="Band reserved for local providers"),
        ),
        migrations.AddField(
            model_name="agreement",
            name="provider_asset_locked",
            field=models.BooleanField(default=False, verbose_name="Asset-locked at award"),
        ),
        migrations.AddField(
            model_name="agreement",
            name="provider_local",
            field=models.BooleanField(
                default=False,
                help_text="Registered or operating in the council's local area",
                verbose_name="Local provider at award",
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="provider_ownership",
            field=models.CharField(blank=True, max_length=20, verbose_name="Ownership at award"),
        ),
        migrations.AddField(
            model_name="agreement",
            name="provider_private_equity",
            field=models.BooleanField(default=False, verbose_name="Backed by private equity at award"),
        ),
        migrations.AddField(
            model_name="agreement",
            name="provider_sme",
            field=models.BooleanField(
                default=True, help_text="Fewer than 250 staff; else large", verbose_name="SME at award"
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="provider_vcse",
            field=models.BooleanField(default=False, verbose_name="VCSE at award"),
        ),
    ]
