"""Words the records use for treatments, body regions and cues, kept apart from the matching code."""

from __future__ import annotations

from openimr.drugs import drug_table

# modality -> the phrases that name it (regular-expression fragments, matched case-insensitively)
MODALITIES: dict[str, list[str]] = {
    "physical therapy": [r"physical therapy", r"physiotherapy", r"\bPT\b(?!/PTT|/INR)", r"physical medicine",
                         r"physiotherapy modalities"],
    "occupational therapy": [r"occupational therapy", r"\bOT\b", r"hand therapy"],
    "chiropractic": [r"chiropractic(?: therapy| care| treatments?| manipulation| services| sessions?| visits?)?",
                     r"chiropractor", r"chiro(?:practic)?[- ]?physio\w*", r"spinal manipulation",
                     r"manipulation"],
    "acupuncture": [r"(?:electro-?)?acupuncture(?: therapy| treatments?| sessions?| visits?)?"],
    "massage": [r"massage(?: therapy)?"],
    "aquatic therapy": [r"aquatic therapy", r"aqua(?:tic)? therapy", r"pool therapy", r"water therapy"],
    "home exercise": [r"home exercise(?: program)?", r"\bHEP\b"],
    "tens": [r"\bTENS\b(?: unit)?", r"transcutaneous electrical nerve stimulation"],
    "psychotherapy": [r"psychotherapy", r"cognitive behavioral therapy", r"\bCBT\b",
                      r"psychological (?:treatment|therapy|counseling)", r"psych(?:ological)? (?:sessions?|visits?)"],
    "traction": [r"traction"],
    "work hardening": [r"work hardening", r"work conditioning"],
    "functional restoration": [r"functional restoration(?: program)?"],
}

REGIONS: dict[str, list[str]] = {
    "lumbar": [r"lumbar", r"lumbosacral", r"low(?:er)? back", r"L[1-5](?:-S1|-L[1-5])?", r"sciatic"],
    # the neck, not the femoral neck or the neck of a bone ("neck of the femur")
    "cervical": [r"cervical", r"(?<!femoral )(?<!femur )neck(?! of)", r"C[2-7](?:-C?[3-7]|-T1)?"],
    "thoracic": [r"thoracic", r"mid(?:dle)?[- ]back", r"upper back"],
    "shoulder": [r"shoulders?", r"rotator cuff", r"acromioclavicular"],
    "elbow": [r"elbows?", r"epicondyl\w*"],
    "wrist": [r"wrists?", r"carpal tunnel"],
    "hand": [r"hands?", r"fingers?", r"thumbs?"],
    "hip": [r"hips?", r"groin", r"femoral neck", r"proximal femur"],
    "knee": [r"knees?", r"menisc\w+", r"patell\w+"],
    "ankle": [r"ankles?"],
    "foot": [r"foot", r"feet", r"toes?", r"plantar"],
    "head": [r"head", r"concussion", r"skull"],
}

RED_FLAGS = [
    r"cauda equina", r"bowel (?:or|and) bladder", r"saddle an(?:a)?esthesia", r"progressive (?:neurologic|motor) deficit",
    r"fracture", r"tumou?r", r"malignan\w+", r"infection", r"dislocation", r"foot drop",
    r"unexplained weight loss", r"fever",
    # the summaries' own shorthand: "x-rays as red flags were not noted", "no red flags"
    r"red[- ]flags?",
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
    # "burning sensation" is a complaint, "somatosensory" a test name: neither is the sensory examination
    "sensation": r"(?<!burning )(?<!tingling )(?<!crawling )(?<!pins and needles )sensation|(?<![a-z])sensory\b(?! evoked)",
    # "motor" alone as an exam word ("motor and sensory examination"), never "motor vehicle"
    "motor strength": r"motor (?:strength|power)|muscle strength|strength|\bmotor\b(?! vehicle| nerve)",
    # deep tendon reflexes, not the pupils' ("reactive to light and accommodation reflex") or RSD
    "reflexes": r"(?:deep tendon )?(?<!accommodation )(?<!light )(?<!pupillary )(?<!corneal )(?<!gag )"
                r"\breflex(?:es)?\b(?! sympathetic)|\bDTRs?\b",
    "tenderness": r"tender(?:ness)?(?: to palpation)?",
    "range of motion": r"range of motion|\bROM\b",
    "spasm": r"spasms?",
}

# drug names (generic and brand, lower case) -> (generic name, class), from the packaged drug table that
# request normalization uses too
DRUGS: dict[str, tuple[str, str]] = {name: (drug["name"], drug["class"]) for name, drug in drug_table().items()}

# oral MME conversion factors per mg (CDC 2016); fentanyl patches and buprenorphine are left out on purpose
MME_FACTORS: dict[str, float] = {
    "hydrocodone": 1.0, "hydrocodone/acetaminophen": 1.0, "oxycodone": 1.5, "oxycodone/acetaminophen": 1.5,
    "morphine": 1.0, "tramadol": 0.1, "tramadol/acetaminophen": 0.1, "codeine": 0.15, "hydromorphone": 4.0,
    "oxymorphone": 3.0, "tapentadol": 0.4,
}

PSYCH_SYMPTOMS = [
    r"depress(?:ion|ed|ive (?:symptoms|disorder))", r"anxiety", r"insomnia", r"difficulty sleeping",
    r"sleep (?:disturbance|difficult\w*|problems?)", r"suicidal (?:ideation|thoughts)", r"homicidal (?:ideation|thoughts)",
    r"post[- ]traumatic stress(?: disorder)?", r"\bPTSD\b", r"panic attacks?", r"stress", r"irritability",
    r"hopelessness", r"tearful", r"poor concentration|concentration difficulties", r"memory (?:problems|loss)",
]

WORK_STATUS = [
    (r"temporar(?:il)?y (?:and )?total(?:ly)? (?:psychologically )?disabled|temporary total disability|\bTTD\b",
     "temporarily totally disabled"),
    (r"modified (?:work|duty|duties)|work(?:ing)? with (?:modified duties|restrictions)|light duty|restricted duty|"
     r"(?:on|with) work restrictions", "modified duty"),
    (r"full (?:duty|work)|regular (?:duty|work)|without restrictions", "full duty"),
    (r"not (?:currently )?working|off work|has not returned to work|unable to work", "not working"),
    (r"permanent and stationary|\bP&S\b|\bMMI\b|maximum medical improvement", "permanent and stationary"),
    (r"retired", "retired"),
]

MECHANISMS = [
    r"(?:slipped|tripped)(?: and fell)?", r"trip and fall", r"slip and fall", r"fell|fall(?:ing)? (?:off|from|down)\b[^.,;]{0,40}",
    r"(?:motor vehicle|car|auto) (?:accident|collision)|\bMVA\b|rear[- ]ended", r"lifting[^.,;]{0,40}", r"repetitive \w+[^.,;]{0,30}",
    r"cumulative trauma", r"twisted[^.,;]{0,30}", r"struck by[^.,;]{0,30}|hit by[^.,;]{0,30}", r"pushing[^.,;]{0,60}",
    r"pulling[^.,;]{0,40}", r"assault\w*|altercation", r"harass\w*", r"crush\w*[^.,;]{0,30}",
]
