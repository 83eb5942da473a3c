"""Signals read from the documents' words where the fact extractor gives none (yet).

Each signal is a documented pattern over the case text. A mention counts only when it is affirmed: not
denied, questioned or planned in the same clause (see `affirmed`).
"""

from __future__ import annotations

import re

# A match makes the signal documented (True); no match leaves it not documented (None), so a criterion
# resting on one can only be met by the records, never refuted by their silence.
TEXT_SIGNALS: dict[str, str] = {
    "surgery_considered": r"surg(?:ical|eon)(?:al)? (?:consult|referral|candidate|option|intervention|evaluation)|"
                          r"candidate for surgery|consider(?:ing|ed)? surg|surgery (?:is|was) (?:recommended|planned|scheduled)",
    "mechanical_knee_signs": r"locking|catching|giving way|buckling|instability|effusion|(?:unable|inability) to bear weight",
    "neurologic_symptoms": r"numbness|tingling|paresthesia|radiat\w+|radicul\w+|weakness",
    "neuropathic_pain": r"radicul\w+|neuropath\w+|neuralgia|neuritis|\bCRPS\b|complex regional|nerve (?:injury|damage)",
    "gi_risk": r"(?:peptic |gastric |duodenal )?ulcer|GI bleed|gastrointestinal (?:bleed|upset|symptoms|distress)|gastritis|"
               r"\bGERD\b|reflux|dyspepsia|anticoagula|corticosteroid",
    "muscle_spasm": r"spasms?\b",
    "insomnia": r"insomnia|sleep (?:disturbance|difficult\w*|problems?|disorder)|difficulty sleeping",
    "depression_anxiety": r"depress\w+|anxiety|\bPTSD\b|post-?traumatic stress",
    "fracture": r"fracture",
    "dislocation": r"(?<!biceps )(?<!tendon )dislocat\w+",  # a joint dislocation, not a tendon's
    "comorbidity": r"hypertension|diabetes|obes\w+|hyperlipidemia|coronary|cardiac|\bCOPD\b|renal (?:disease|insufficiency)|"
                   r"heart disease|smok\w+",
    "bleeding_risk": r"anticoagula|warfarin|coumadin|bleeding disorder|coagulopathy|hemophilia|liver disease",
    "implant": r"\bmesh\b|implant|prosthe\w+|hardware",
    "homebound": r"homebound|home-?bound|bed-?bound|unable to leave (?:the )?home",
    "failed_conservative_care": r"fail\w* (?:\w+ ){0,3}(?:conservative|physical therapy|therapy|treatment|medications?)|"
                                r"(?:no|without|minimal|little) (?:\w+ )?(?:relief|improvement|benefit)|persist\w*|not improv\w+",
    "imaging_lesion": r"\btear\b|\btorn\b|rupture|fracture|herniat\w+|extrusion|protrusion|stenosis|impingement of|"
                      r"nerve root (?:compression|impingement)|labral|Bankart|Hill-?Sachs|displace\w+",
    # the records state that surgery is not an option (a chronic pain program criterion)
    "not_surgical_candidate": r"not an? (?:surgical|operative) candidate|not a candidate for (?:further )?surg\w+|"
                              r"non-?surgical candidate|no (?:further )?surgical (?:indication|options?)",
    "trigger_points": r"trigger points? (?:with|and) (?:a )?(?:local )?twitch|twitch response",
    "successful_mbb": r"medial branch blocks?\W+(?:\w+\W+){0,6}?(?:[7-9]\d|100) ?%",
    "near_mmi": r"maximum medical improvement|\bMMI\b|permanent and stationary|\bP&S\b|unsuccessful return to work|"
                r"failed (?:a )?return to work",
    "working": r"modified (?:work|duty)|light duty|(?:is|was|currently|continues) working|returned to (?:full |regular )?work",
    "obesity": r"obes\w+|\bBMI\b (?:of )?[3-9]\d",
    "dvt_risk": r"(?:history of|prior) (?:DVT|deep vein|pulmonary embol)|thrombophilia|hypercoagul",
    "medication_benefit": r"(?:improvement|relief|benefit|decrease|reduction)\s+(?:in|of|with|from)\s+(?:\w+\s+){0,3}?"
                          r"(?:pain|symptoms|medications?)|medications? (?:help|helps|helped|provide|provides|improve)",
    "surgical_condition": r"severe (?:degenerative joint disease|osteoarthritis|arthritis|arthrosis)|end-stage|"
                          r"full-thickness|complete (?:tear|rupture)|nonunion|non-union|displaced fracture",
    "non_weight_bearing": r"non-?weight[- ]?bearing|\bNWB\b|unable to (?:walk|bear weight)",
    "hospitalized": r"hospitali[sz]\w*|hospitalist|admitted to (?:the )?hospital|inpatient stay|acute care hospital",
    # needs another person's help to move or care for oneself, so a discharge home is not yet safe
    "functional_dependence": r"requir\w+ (?:\w+ ){0,2}assistance|needs? (?:\w+ ){0,2}assistance|"
                             r"(?:not able|unable) to (?:transfer|ambulate|walk|care for)|not (?:yet )?safe (?:for|to (?:go|return)) home|"
                             r"dependent (?:for|with|in) (?:transfers|mobility|ambulation|self-care|ADLs)|(?:cannot|could not|unable to) manage at home",
    # what keeps a patient from taking part in an intensive rehabilitation program
    "participation_barrier": r"dementia|cognitive (?:impairment|deficits?)|unable to (?:participate|tolerate) (?:in )?(?:therapy|rehab)|"
                             r"medically unstable|comatose|obtunded",
    # a hernia whose diagnosis the examination leaves open, or a suspected complication
    "hernia_uncertain": r"occult hernias?\b|(?:suspected|possible|rule out|r/o) (?:\w+ )?hernias?\b|incarcerat\w+|strangulat\w+|"
                        r"non-?reducible|irreducible|bowel obstruction",
    # procedures where significant perioperative blood loss is expected (a pre-operative blood count is indicated)
    "major_blood_loss_surgery": r"fusion|arthroplasty|joint replacement|open reduction|(?<![a-z])orif(?![a-z])|osteotomy|revision surgery",
    "psych_evaluated": r"(?:psycholog|psychiatr)\w* (?:\w+ ){0,2}(?:evaluation|assessment|consultation)|psychological testing",
    "severe_psych": r"suicidal|homicidal|psychos[ie]s|psychotic|severe (?:major )?depress\w*|major depressive disorder,? (?:\w+,? )?severe",
    "erectile_dysfunction": r"erectile dysfunction|impotence|sexual dysfunction",
    "ed_workup": r"testosterone|hypogonad\w*|\burolog\w+ (?:evaluation|consult\w*|referral)|penile (?:doppler|ultrasound)",
    # what a benzodiazepine is indicated for in the short term: anxiety or panic (spasm and insomnia have their own)
    "anxiety": r"anxi(?:ety|ous)|panic",
    # the conditions a spinal cord stimulator or sympathetic block is indicated for
    "crps": r"\bCRPS\b|complex regional pain|reflex sympathetic dystrophy|\bRSD\b|causalgia",
    "failed_back_surgery": r"failed back(?: surgery)? syndrome|\bFBSS\b|post-?laminectomy (?:syndrome|pain)",
    "stimulator_trial_success": r"successful (?:\w+ ){0,3}trial|trial (?:\w+ ){0,3}(?:was|were) successful|"
                                r"(?:[5-9]\d|100) ?% (?:\w+ ){0,2}relief (?:\w+ ){0,4}trial",
    # the signs that justify a sleep study rather than treatment of insomnia
    "sleep_apnea_signs": r"sleep apnea|\bOSA\b|snor(?:e|es|ing)\b|witnessed apneas?|daytime (?:somnolence|sleepiness)|cataplexy|"
                         r"narcolep\w+",
    "vitamin_deficiency": r"(?:vitamin [a-z0-9]+|\bB12\b|folate|iron) (?:deficien\w+|insufficien\w+)|low vitamin|"
                          r"deficien\w+ (?:of|in) vitamin|hypovitaminosis",
    # provocative tests of the sacroiliac joint on examination
    "sacroiliac_signs": r"FABER|Patrick'?s? (?:test|sign|maneuver)|Gaenslen|thigh thrust|sacroiliac (?:joint )?(?:tenderness|dysfunction)|"
                        r"\bSI joint (?:tenderness|dysfunction)|\bSIJ dysfunction",
    # self-directed diet and exercise already tried without success (before a supervised weight loss program)
    "failed_weight_loss": r"(?:unable|failed|unsuccessful|inability) (?:\w+ ){0,3}(?:to )?los(?:e|ing) weight|"
                          r"(?:diet|dieting|weight loss attempts?) (?:has|have) (?:not|failed|been unsuccessful)|"
                          r"unsuccessful (?:diet\w*|weight loss)|continues to gain weight",
    # a job to return to, which work conditioning is for
    "return_to_work_goal": r"return(?:ing)? to (?:\w+ )?(?:work|duty|job)|job (?:offer|is (?:still )?available)|"
                           r"employer (?:\w+ )?(?:accommodate|hold)",
}
# Signals match without regard to case ("Ulcer" opening a sentence is an ulcer), except acronyms written
# between word boundaries (\bGERD\b, \bMMI\b): those keep their case, so that they match the acronym and
# not an ordinary word.
_ACRONYM = re.compile(r"\\b([A-Z][A-Z0-9&]+)\\b")


def compile_signal(pattern: str) -> re.Pattern[str]:
    return re.compile(_ACRONYM.sub(r"(?-i:\\b\1\\b)", pattern), re.I)


COMPILED_SIGNALS = {name: compile_signal(pattern) for name, pattern in TEXT_SIGNALS.items()}
# words in the same clause before a mention that make it a denial, a question or a plan, not a finding
NOT_AFFIRMED = re.compile(r"\b(?:no|not|non|negative|without|denie[sd]|rule out|ruled out|r/o|to evaluate|evaluate for|"
                           r"assess for|possible|suspected|suspicion|concern for|unremarkable|free of|absence of)\b", re.I)
# a sentence about the request, its review or the treatment plan: a drug named there is not one taken
PLAN_WORDS = re.compile(r"request|utilization|\bUR\b|non-?certif|authori[sz]|denied|modif|plan\b|treatment plan|"
                         r"recommend|will (?:start|begin|try)|prescribed (?:on|at) (?:this|the) visit", re.I)
# a sentence about the request or its review, unless it recounts treatment already given
REQUEST_WORDS = re.compile(r"request|non-?certif|utilization review|\bUR\b|authoriz", re.I)
HISTORY_WORDS = re.compile(r"\b(?:received(?! on)|completed|attended|underwent|to date|has had|had (?:\d+|\w+ sessions))\b", re.I)
CLAUSE_BREAK = re.compile(r"[.;:]\s|\bbut\b|\bhowever\b")


def affirmed(text: str, start: int) -> bool:
    """A mention at text[start:] is asserted, not denied, questioned or planned (same clause, 80 characters)."""
    clause = CLAUSE_BREAK.split(text[max(0, start - 80):start])[-1]
    return not NOT_AFFIRMED.search(clause)
