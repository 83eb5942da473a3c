"""Words the records use for treatments, body regions and cues, kept apart from the matching code."""

from __future__ import annotations

# modality -> the phrases that name it (regular-expression fragments, matched case-insensitively)
MODALITIES: dict[str, list[str]] = {
    "physical therapy": [r"physical therapy", r"physiotherapy", r"\bPT\b", r"physical medicine",
                         r"therapy sessions?"],
    "occupational therapy": [r"occupational therapy", r"\bOT\b", r"hand therapy"],
    "chiropractic": [r"chiropractic(?: therapy| care| treatment| manipulation)?", r"chiropractor",
                     r"chiro(?:practic)?[- ]?physio", r"spinal manipulation", r"manipulation"],
    "acupuncture": [r"acupuncture", r"electro-?acupuncture"],
    "massage": [r"massage(?: therapy)?"],
    "aquatic therapy": [r"aquatic therapy", r"aqua(?:tic)? therapy", r"pool therapy", r"water therapy"],
    "home exercise": [r"home exercise(?: program)?", r"\bHEP\b"],
    "tens": [r"\bTENS\b(?: unit)?", r"transcutaneous electrical nerve stimulation"],
    "psychotherapy": [r"psychotherapy", r"cognitive behavioral therapy", r"\bCBT\b", r"psychological (?:treatment|therapy|counseling)"],
    "traction": [r"traction"],
    "injection": [r"injections?"],
    "medication": [r"medications?"],
    "work hardening": [r"work hardening", r"work conditioning"],
    "functional restoration": [r"functional restoration(?: program)?"],
}

REGIONS: dict[str, list[str]] = {
    "lumbar": [r"lumbar", r"lumbosacral", r"low(?:er)? back", r"L[1-5](?:-S1|-L[1-5])?", r"sciatic"],
    "cervical": [r"cervical", r"neck", r"C[2-7](?:-C?[3-7]|-T1)?"],
    "thoracic": [r"thoracic", r"mid(?:dle)?[- ]back", r"upper back"],
    "shoulder": [r"shoulders?", r"rotator cuff", r"acromioclavicular"],
    "elbow": [r"elbows?", r"epicondyl\w*"],
    "wrist": [r"wrists?", r"carpal tunnel"],
    "hand": [r"hands?", r"fingers?", r"thumbs?"],
    "hip": [r"hips?", r"groin"],
    "knee": [r"knees?", r"menisc\w+", r"patell\w+"],
    "ankle": [r"ankles?"],
    "foot": [r"foot", r"feet", r"toes?", r"plantar"],
    "head": [r"head", r"concussion", r"skull"],
}

NEGATION_CUES = [
    r"\bno\b", r"\bnot\b", r"\bnever\b", r"\bwithout\b", r"\bdenie[sd]\b", r"\bnegative for\b",
    r"\bhas not\b", r"\bhave not\b", r"\bhad not\b", r"\bdid not\b", r"\bnone\b", r"\bfree of\b",
    r"\babsence of\b", r"\black of\b", r"\bfailed to show\b", r"\bno evidence of\b",
]

RED_FLAGS = [
    r"cauda equina", r"bowel (?:or|and) bladder", r"saddle an(?:a)?esthesia", r"progressive (?:neurologic|motor) deficit",
    r"fracture", r"tumou?r", r"malignan\w+", r"infection", r"dislocation", r"foot drop",
    r"unexplained weight loss", r"fever",
]

EXAM_TESTS: dict[str, str] = {
    "straight leg raise": r"straight[- ]leg[- ]rais(?:e|ing)(?: test)?|\bSLR\b",
    "spurling": r"spurling'?s?(?: test| maneuver| sign)?",
    "hawkins": r"hawkins(?:'s)?(?:[- ]kennedy)?(?: impingement)?(?: test| maneuver| sign)?",
    "neer": r"neer'?s?(?: impingement)?(?: test| sign)?",
    "mcmurray": r"mcmurray'?s?(?: test| sign)?",
    "phalen": r"phalen'?s?(?: test| sign)?",
    "tinel": r"tinel'?s?(?: test| sign)?",
    "faber": r"\bFABER\b|patrick'?s? test",
    "drop arm": r"drop arm(?: test| sign)?",
    "lachman": r"lachman'?s?(?: test)?",
    "sensation": r"sensation|sensory (?:exam\w*|deficits?)",
    "motor strength": r"motor (?:strength|power)|muscle strength|strength",
    "reflexes": r"(?:deep tendon )?reflexes",
    "tenderness": r"tender(?:ness)?(?: to palpation)?",
    "range of motion": r"range of motion|\bROM\b",
    "spasm": r"spasms?",
}
