"""Claim rules by family, not only by word (issue 27): every rule gets its family, the phrases may
give choices (a|b), optional words (a|b)? and gaps (...) of up to `words_between` words, and each
family gets rules for the ways of saying it that the first rules missed. Promises of total safety
become errors: a page must not go out saying "completely safe for everyone"."""

import django.core.validators
from django.db import migrations, models


NO_CURE = "Gentle movement can ease back pain; it does not cure it. Health claims need strong evidence (UK advertising code, CAP 12.1): say 'can help' or 'can ease'."
NO_PROMISE = "No one can promise how a back will respond, or that pain will not come back. Say what often happens: 'most back pain gets better within a few weeks'."
NOT_IN_PLACE = "Bones, joints and discs do not slip out of place, and pressing or cracking cannot put them back. Say what the movement does: it can ease stiffness."
NO_CRACKING = "Do not tell readers to crack or pop their own back on purpose: forcing it can hurt. The pop is gas in a joint and fixes nothing."
NO_SAFETY_PROMISE = "Nothing is safe for everyone. Say when to stop and when to get help instead."
SEE_A_PROFESSIONAL = "Never suggest this replaces seeing a professional (UK advertising code, CAP 12.2). Say when to see a GP or physiotherapist."
NUMBNESS_MATTERS = "New numbness, tingling or weakness in one leg needs an urgent GP appointment or 111 today; in both legs, or around the genitals or bottom, it means go to A&E now. Link to the warning signs on the help page."
NOT_THROUGH_PAIN = "Some aching is normal, but never tell readers to carry on through pain. Say: stop, or change position, if it makes your pain worse or gives you new pain."

SAFETY, CURE, IN_PLACE, PUTS_OFF_CARE, THROUGH_PAIN = "safety", "cure", "in-place", "puts-off-care", "through-pain"

# The rules 0013 and 0015 seeded, by family. Promises of safety were warnings; they become errors.
FAMILIES = {
    SAFETY: ["guarantee*", "completely safe", "totally safe", "risk free", "no side effects"],
    CURE: [
        "cure*", "miracle*", "instant* relie*", "permanent* relie*", "permanent* fix*", "permanent* result*",
        "permanent* cure*", "gone for good", "fix* * back for good",
    ],
    IN_PLACE: [
        "back into place", "back in place", "out of place", "realign*", "re align*", "misalign*", "subluxation*",
        "crack* your back", "crack* your own back", "pop* your back", "pop* your own back", "make * back pop",
        "make * back crack",
    ],
    PUTS_OFF_CARE: ["instead of seeing a doctor", "instead of seeing a gp", "instead of seeing your gp"],
}
NOW_ERRORS = ["completely safe", "totally safe", "risk free", "no side effects"]
# Narrower versions of a new rule below (one problem per claim, not two).
REPLACED = ["permanently fix*", "permanently ease*", "permanently get rid"]

PROFESSIONALS = "(doctor*|gp|gps|gp's|physio*|nurse*|pharmacist*|professional*|specialist*|hospital|a&e|111|999|anyone|anybody)"
NUMBNESS = "(numb*|tingl*|pins and needles|weakness|weak legs|loss of feeling)"

# (phrase, family, explanation, words between, allow when the sentence denies it)
NEW_RULES = [
    # Total safety or certainty
    ("(completely|totally|perfectly|entirely|absolutely|utterly|100|always) ... safe", SAFETY, NO_SAFETY_PROMISE, 2, True),
    ("safe for (everyone|everybody|anyone|anybody|all)", SAFETY, NO_SAFETY_PROMISE, 0, True),
    ("(no|zero|without any) risk*", SAFETY, NO_SAFETY_PROMISE, 0, True),
    ("(can't|cannot|can not|could not|couldn't) (possibly)? (hurt|harm|injure) you", SAFETY, NO_SAFETY_PROMISE, 0, True),
    ("(nothing|you can't|you cannot|you can not) (can|could|will)? go wrong", SAFETY, NO_SAFETY_PROMISE, 0, True),
    ("always (works|helps|fixes|eases)", SAFETY, NO_PROMISE, 0, True),
    ("(will|would|should) always (work|help|fix|ease)", SAFETY, NO_PROMISE, 0, True),
    ("works (every time|for everyone|for everybody|for anyone|for all)", SAFETY, NO_PROMISE, 0, True),
    ("(never|won't ever|will never) fail*", SAFETY, NO_PROMISE, 0, True),
    (f"never need ... {PROFESSIONALS[:-1]}|help|treatment*|painkiller*|medicine*|surgery|operation*|appointment*)", SAFETY, SEE_A_PROFESSIONAL, 3, True),
    # Cures and permanent fixes
    ("curing", CURE, NO_CURE, 0, True),
    ("permanently ... (fix*|ease*|cure*|end*|stop*|solve*|heal*|remove*|rid|relieve*|sort*|banish*|straighten*|better)", CURE, NO_PROMISE, 2, True),
    ("(fix*|heal*|cure*|mend*|solve*|end*|banish*|rid|beat*|eliminate*|erase*|stop*) ... (for good|forever|for ever|once and for all|for life)", CURE, NO_PROMISE, 4, True),
    ("(fix|fixes|fixed|fixing) (your|the|a|any|my|their)? (back|spine|pain|back pain|sciatica|posture|disc|discs)", CURE, NO_CURE, 0, True),
    ("(gone|go away|goes away|disappear*|vanish*) (for good|forever|for ever|for life|permanently|completely|once and for all)", CURE, NO_PROMISE, 0, True),
    ("permanent* (solution*|end|answer*|change*)", CURE, NO_PROMISE, 0, True),
    ("never ... (come|comes|coming|came) back", CURE, NO_PROMISE, 1, True),
    # Bones, joints or discs moving back into place
    ("(bone*|vertebra*|disc|discs|disk*|joint*|spine*|hip|hips|pelvis|rib*|coccyx|tailbone*) ... (click*|pop*|slot*|snap*|clunk*|crack*|jump*|slip*) ... (back|into place|in place|into line|into position)", IN_PLACE, NOT_IN_PLACE, 2, True),
    ("(click*|pop*|slot*|snap*|put*|push*|nudge*|knock*|crack*|jiggle*|manipulat*|adjust*) ... (bone*|vertebra*|disc|discs|disk*|joint*) ... (back|into place|in place|into line|into position)", IN_PLACE, NOT_IN_PLACE, 3, True),
    ("(click*|pop*|slot*|snap*|knock*|crack*|jiggle*|clunk*|nudge*|slide*|slid|realign*|shift*) ... (into place|in place|into alignment)", IN_PLACE, NOT_IN_PLACE, 3, True),
    ("(click|clicks|clicked|pop|pops|popped|snap|snaps|snapped|slot|slots|slotted|clunk|clunks) (it|them|itself|themselves|right|straight)? back (in|into|where)", IN_PLACE, NOT_IN_PLACE, 0, True),
    ("adjust* (your|the|a|my|their)? (spine|vertebra*|bone*|joint*|disc|discs)", IN_PLACE, NOT_IN_PLACE, 0, True),
    ("until ... (hear|feel) ... (click*|pop*|crack*|clunk*|snap*)", IN_PLACE, NO_CRACKING, 3, True),
    # Putting readers off getting care
    (f"no need (to|for) ... {PROFESSIONALS}", PUTS_OFF_CARE, SEE_A_PROFESSIONAL, 3, True),
    ("(don't|do not|doesn't|does not|won't|will not|never) (need|have) to (see|visit|call|ring|phone|contact|speak to|talk to|go to) (anyone|anybody)", PUTS_OFF_CARE, SEE_A_PROFESSIONAL, 0, True),
    (f"(don't|do not|never|no need to|no point*) bother* ... {PROFESSIONALS[:-1]}|help|appointment*|see|seeing|going|call*|ring*)", PUTS_OFF_CARE, SEE_A_PROFESSIONAL, 3, True),
    (f"(instead of|rather than) (seeing|going to|visiting|calling|ringing|contacting|asking|getting|booking) ... {PROFESSIONALS[:-1]}|help|advice|appointment*)", PUTS_OFF_CARE, SEE_A_PROFESSIONAL, 2, True),
    (f"ignor* ... {NUMBNESS[:-1]}|warning sign*|symptom*|bladder|bowel)", PUTS_OFF_CARE, NUMBNESS_MATTERS, 3, True),
    (f"{NUMBNESS} ... (harmless|will pass|safe to ignore|fine to ignore|is normal|are normal|is fine|is ok|is okay|will settle)", PUTS_OFF_CARE, NUMBNESS_MATTERS, 4, True),
    (f"{NUMBNESS} ... (nothing to worry about|nothing serious|no cause for concern|no reason to worry|no big deal|no need to worry)", PUTS_OFF_CARE, NUMBNESS_MATTERS, 4, True),
    (f"wait* for (the|your)? {NUMBNESS} to (settle|pass|go away|wear off)", PUTS_OFF_CARE, NUMBNESS_MATTERS, 0, True),
    ("(doctor*|gp|gps|physio*|physiotherapist*|nhs|hospital*) ... (can't|cannot|can not|won't|will not) (do anything|do much|help)", PUTS_OFF_CARE, SEE_A_PROFESSIONAL, 2, True),
    ("waste* ... (doctor*|gp|gp's|gps|physio*|nhs) ... time", PUTS_OFF_CARE, SEE_A_PROFESSIONAL, 2, True),
    # Pushing through pain
    ("(push*|work*|power*|fight*|grit*|battle*|force*|keep going|carry on|plough*|press*|stretch*|lean*|bend*|twist*|go|train*|exercise*) (through|past|beyond|into) ... (pain|painful|hurt*|agony)", THROUGH_PAIN, NOT_THROUGH_PAIN, 2, True),
    ("no pain no gain", THROUGH_PAIN, NOT_THROUGH_PAIN, 0, True),
    ("(keep going|carry on|continue|keep moving|keep pushing|keep stretching|push on|press on|don't stop|do not stop|never stop) (even)? (if|when|though|while) (it|this|that|the pain|your back)? (hurts|hurt|is painful|gets painful|is sore|feels painful|becomes painful|starts to hurt)", THROUGH_PAIN, NOT_THROUGH_PAIN, 0, True),
    ("(keep going|carry on|continue|push on|keep pushing|press on|keep at it|keep moving) ... (despite|regardless of|in spite of) ... (pain|hurt*|hurting)", THROUGH_PAIN, NOT_THROUGH_PAIN, 2, True),
    ("ignor* ... (pain|painful|hurt*|agony)", THROUGH_PAIN, NOT_THROUGH_PAIN, 3, True),
    ("(pain|hurt*|hurting|agony) (means|shows|is a sign) ... (working|doing good|doing you good|helping|good sign)", THROUGH_PAIN, NOT_THROUGH_PAIN, 3, True),
    ("the (more|harder) ... (hurts|hurt|pain|push*) ... the better", THROUGH_PAIN, NOT_THROUGH_PAIN, 2, True),
    ("(push*|stretch*|go|lean*|bend*|twist*|press*) (further|harder|deeper|more) ... (even|though|if|when|until) ... (hurts|hurt|painful|pain)", THROUGH_PAIN, NOT_THROUGH_PAIN, 2, True),
]


def sort_rules_into_families(apps, schema_editor):
    ClaimRule = apps.get_model("guides", "ClaimRule")
    for family, phrases in FAMILIES.items():
        ClaimRule.objects.filter(phrase__in=phrases, family="").update(family=family)
    ClaimRule.objects.filter(phrase__in=NOW_ERRORS).update(severity="error")
    ClaimRule.objects.filter(phrase__in=REPLACED).delete()
    for phrase, family, explanation, words_between, allow_when_negated in NEW_RULES:
        ClaimRule.objects.get_or_create(phrase=phrase, defaults={
            "family": family, "explanation": explanation, "words_between": words_between,
            "allow_when_negated": allow_when_negated, "severity": "error",
        })


def remove_new_rules(apps, schema_editor):
    ClaimRule = apps.get_model("guides", "ClaimRule")
    ClaimRule.objects.filter(phrase__in=[rule[0] for rule in NEW_RULES]).delete()
    ClaimRule.objects.filter(phrase__in=NOW_ERRORS).update(severity="warning")
    for phrase in REPLACED:
        ClaimRule.objects.get_or_create(
            phrase=phrase, defaults={"severity": "error", "explanation": NO_PROMISE, "allow_when_negated": True}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('guides', '0017_warning_signs'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='claimrule',
            options={'ordering': ('family', 'phrase')},
        ),
        migrations.AddField(
            model_name='claimrule',
            name='family',
            field=models.CharField(blank=True, choices=[('safety', 'a promise of total safety or certainty'), ('cure', 'a promise of a cure or a permanent fix'), ('in-place', 'a claim that bones, joints or discs move back into place'), ('puts-off-care', 'putting readers off getting care'), ('through-pain', 'telling readers to push through pain')], help_text='The kind of claim. It is named to the editor with the problem, and helps you see what the rules cover.', max_length=20),
        ),
        migrations.AddField(
            model_name='claimrule',
            name='words_between',
            field=models.PositiveSmallIntegerField(default=3, help_text='How many words each ... in the phrase may stand for, from 0 to 8. More words find more ways of saying it, and more false alarms.', validators=[django.core.validators.MaxValueValidator(8)], verbose_name='words between'),
        ),
        migrations.AlterField(
            model_name='claimrule',
            name='phrase',
            field=models.CharField(help_text="The words to look for. Case and punctuation do not matter. * stands for any one word ('crack * back'); a word ending in * matches any ending ('cure*' finds cure, cures, cured); (click*|pop*|snap*) matches any one of them; (the|your)? matches either or nothing; ... stands for up to a few words (see 'words between'), e.g. '(bone*|joint*) ... (click*|pop*) ... back'.", max_length=300, unique=True),
        ),
        migrations.RunPython(sort_rules_into_families, remove_new_rules),
    ]
