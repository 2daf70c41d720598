"""Word lists for the demo data: invented people, schools and streets, nobody real.

Names mix the families a Midlands advice service hears from, including apostrophes,
hyphens and letters outside English, so search and display get exercised. Phone numbers
come from Ofcom's ranges reserved for drama, emails from the reserved example domains.
"""

from __future__ import annotations

FIRST_NAMES_PARENT: tuple[str, ...] = (
    "Sarah", "Emma", "Rachel", "Nicola", "Claire", "Joanne", "Kelly", "Lisa", "Gemma", "Hayley",
    "Amanda", "Louise", "Natalie", "Vicky", "Donna", "Michelle", "Becky", "Charlotte", "Laura",
    "Stacey", "Fatima", "Aisha", "Nusrat", "Shabana", "Priya", "Anjali", "Harpreet", "Gurpreet",
    "Chidinma", "Ngozi", "Folasade", "Abena", "Agnieszka", "Katarzyna", "Joanna", "Ewa",
    "Ionela", "Mihaela", "Siobhán", "Aoife", "Mairéad", "Zoë", "Chloé", "Inês", "Leonor",
    "Thi Lan", "Mei", "Yasmin", "Sadia", "Rukhsana", "Mark", "Paul", "David", "Steven", "Gary",
    "Darren", "Lee", "Craig", "Andrew", "Imran", "Tariq", "Rajesh", "Sanjay", "Emeka", "Kwame",
    "Tomasz", "Piotr", "Łukasz", "Florin", "Seán", "José", "Ahmet", "Dariusz", "Kofi", "Jamal",
)

FIRST_NAMES_CHILD: tuple[str, ...] = (
    "Oliver", "Harry", "Jack", "Charlie", "Alfie", "Freddie", "Noah", "Leo", "Oscar", "Archie",
    "Theo", "Riley", "Mason", "Logan", "Jayden", "Kian", "Tyler", "Ethan", "Lucas", "Finley",
    "Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Poppy", "Evie", "Ruby", "Lily", "Grace",
    "Sophie", "Millie", "Ellie", "Maisie", "Phoebe", "Freya", "Daisy", "Erin", "Skye",
    "Muhammad", "Yusuf", "Ibrahim", "Zayn", "Hamza", "Aaliyah", "Maryam", "Zara", "Inaya",
    "Arjun", "Aarav", "Kiran", "Diya", "Chinedu", "Tobi", "Adaeze", "Zofia", "Kacper", "Maja",
    "Jakub", "Oliwia", "Darius", "Ana-Maria", "Eóin", "Niamh", "Róisín", "Séamus", "Zoë",
    "Anaïs", "João", "Bình", "Minh", "Mustafa", "Elif", "Amara", "Kai", "Jude", "Rowan",
    "Mary-Jane", "Lily-Mae", "Tommy-Lee",
)

SURNAMES: tuple[str, ...] = (
    "Ashworth", "Brindley", "Catterall", "Dunmore", "Ellery", "Fairbrother", "Gorringe",
    "Hebblethwaite", "Ingleby", "Jessop", "Kettleborough", "Lammas", "Mardle", "Netherwood",
    "Ormerod", "Pennycook", "Quarrington", "Rowbotham", "Sowerby", "Tattersall", "Underhill",
    "Vauden", "Wetherall", "Yardley", "Abbott-Lane", "Carr-Hinton", "Fenwick-Shaw",
    "Hollis-Grant", "Moss-Bradley", "O'Driscoll", "O'Halloran", "O'Keeffe", "McAllister",
    "MacLennan", "D'Souza", "D'Arcy", "Ní Bhriain", "Ó Ceallaigh", "Khanom", "Chowdhury",
    "Rahman", "Hussain", "Mahmood", "Iqbal", "Siddiqui", "Qureshi", "Sandhu", "Bhogal",
    "Dhaliwal", "Parmar", "Mistry", "Solanki", "Okonkwo", "Adebayo", "Oyelaran", "Mensah",
    "Boateng", "Asante", "Nwachukwu", "Wiśniewska", "Kowalczyk", "Zieliński", "Wójcik",
    "Nowicka", "Popescu", "Ionescu", "Dumitru", "Nguyễn", "Trần", "Phạm", "Yılmaz", "Şahin",
    "Conceição", "Gonçalves", "Müller", "Schäfer", "Ferreira", "Da Silva", "Van der Berg",
    "Thistlewood", "Greenhalgh", "Stubbington", "Birtwhistle", "Cowdrey", "Pickersgill",
)

TITLES: tuple[str, ...] = ("Mrs", "Ms", "Miss", "Mr", "Mx", "Dr", "")
RELATIONSHIPS_FEMALE: tuple[str, ...] = ("mother", "mother", "mother", "grandmother", "foster carer",
                                         "stepmother", "aunt", "special guardian")
RELATIONSHIPS_MALE: tuple[str, ...] = ("father", "father", "grandfather", "foster carer",
                                       "stepfather", "uncle")

SCHOOL_PLACES: tuple[str, ...] = (
    "Ashbrook", "Bramley Vale", "Coldharbour", "Dunsley", "Elmhurst", "Fernleigh", "Greystone",
    "Hartwell", "Ivydene", "Kingsmead", "Larkfield", "Millbrook", "Newbold Heath", "Oakridge",
    "Pennington", "Quarry Bank", "Redlands", "Stonebridge", "Thornbury Cross", "Upton Marsh",
    "Willowmere", "Yew Tree", "Brackenfield", "Copperfield", "Hollins Green",
)
SAINTS: tuple[str, ...] = ("Aidan", "Bede", "Cuthbert", "Hilda", "Swithun", "Wilfrid", "Botolph",
                           "Etheldreda")
PRIMARY_KINDS: tuple[str, ...] = ("Primary School", "Infant School", "Junior School",
                                  "Primary Academy", "C of E Primary School")
SECONDARY_KINDS: tuple[str, ...] = ("Academy", "High School", "School", "Community College",
                                    "Secondary School")
SPECIAL_SCHOOLS: tuple[str, ...] = ("The Brambles Special School", "Lantern House School",
                                    "Skylark Specialist Academy", "Heron's Reach School",
                                    "The Orchard Centre (alternative provision)")
COLLEGES: tuple[str, ...] = ("Fernleigh College", "Kingsmead Sixth Form", "Greystone Further "
                             "Education College", "Larkfield Skills Centre")
NURSERIES: tuple[str, ...] = ("Little Acorns Nursery", "Tiddlywinks Pre-school",
                              "Busy Bees Playgroup", "Stonebridge Children's Centre Nursery")

STREET_NAMES: tuple[str, ...] = (
    "Acorn", "Badger", "Beech", "Blackthorn", "Bluebell", "Chestnut", "Clover", "Cowslip",
    "Damson", "Foxglove", "Hawthorn", "Heather", "Juniper", "Kestrel", "Lapwing", "Linnet",
    "Meadowsweet", "Nightingale", "Orchard", "Plover", "Primrose", "Rowan", "Sedge", "Sorrel",
    "Teasel", "Thistle", "Wagtail", "Wren", "Yarrow", "St Mary's", "Bishop's", "Miller's",
    "Shepherd's", "Ploughman's", "Weaver's",
)
STREET_KINDS: tuple[str, ...] = ("Road", "Close", "Way", "Lane", "Drive", "Court", "Grove",
                                 "Crescent", "Gardens", "Walk", "Mews", "Place")
FLAT_WORDS: tuple[str, ...] = ("Flat", "Apartment")

# District → the town addresses in it use. Valid postcode districts, invented addresses.
DISTRICTS: dict[str, str] = {
    **{f"MK{n}": "Milton Keynes" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                            17, 19)},
    "MK16": "Newport Pagnell", "MK17": "Woburn Sands", "MK18": "Buckingham",
    "MK40": "Bedford", "MK41": "Bedford", "MK42": "Bedford", "MK43": "Cranfield",
    "MK45": "Flitwick", "MK46": "Olney",
    **{f"NN{n}": "Northampton" for n in (1, 2, 3, 4, 5, 6, 7)},
    "NN8": "Wellingborough", "NN10": "Rushden", "NN12": "Towcester", "NN15": "Kettering",
    "NN17": "Corby", "LU1": "Luton", "LU2": "Luton", "LU3": "Luton", "LU4": "Luton",
    "LU5": "Dunstable", "LU7": "Leighton Buzzard",
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Ofcom's numbers for drama: never connected to a real line.
MOBILE_PREFIX = "07700 900"
LANDLINE_PREFIXES: tuple[str, ...] = ("01632 960", "0113 496 0", "0114 496 0", "0115 496 0",
                                      "0116 496 0", "0117 496 0", "0118 496 0", "0121 496 0",
                                      "0161 496 0", "020 7946 0", "0191 498 0")
EMAIL_DOMAINS: tuple[str, ...] = ("example.org", "example.com", "example.net")

NEEDS: tuple[str, ...] = (
    "Autism; finds transitions hard", "ADHD, awaiting medication review", "Dyslexia",
    "Speech, language and communication needs", "Social, emotional and mental health needs",
    "Moderate learning difficulties", "Severe learning difficulties; non-verbal",
    "Hearing impairment (cochlear implant)", "Visual impairment", "Cerebral palsy; uses a wheelchair",
    "Down's syndrome", "Epilepsy; needs a care plan in school", "Developmental coordination disorder",
    "Anxiety, not attending school", "Sensory processing difficulties", "Global developmental delay",
    "Tourette's syndrome", "Type 1 diabetes and dyscalculia", "Selective mutism",
    "Physical disability after an accident",
)
GENDERS: tuple[str, ...] = ("male", "female", "male", "female", "non-binary", "")

REFERRERS: tuple[str, ...] = ("SENCO at the child's school", "health visitor", "family support worker",
                              "GP surgery", "social worker", "educational psychologist",
                              "Citizens Advice", "local parent carer forum")

SUMMARIES: tuple[str, ...] = (
    "Asked how to request an EHC needs assessment; explained the six-week decision.",
    "Worried school is not meeting needs on SEN support; talked through the graduated approach.",
    "Annual review coming up; explained how to prepare views and what to ask for.",
    "Child sent home at lunchtimes; explained this counts as an exclusion.",
    "Refused assessment; explained the right of appeal and the two-month deadline.",
    "Transport application turned down; went through the policy and the appeal route.",
    "Final plan section F vague; explained that provision must be specific.",
    "Wants a change of school named in the plan; talked through consultation.",
    "Signposted to the parent carer forum and the local offer website.",
    "Mediation certificate needed before appeal; explained the options.",
    "Professional asking about the service's remit; sent the leaflet.",
    "Young person asked about their own rights at college; explained post-16 options.",
    "Caller unsure what help exists; listened and gave the local offer details.",
    "Part-time timetable for months; explained it should be short and agreed.",
    "Draft plan received; offered to go through it together at an appointment.",
)
NOTE_TEXTS: tuple[str, ...] = (
    "Rang school to ask for the last SEN support plan; SENCO will send it this week.",
    "Read the draft plan. Sections B and F do not match; points listed for the parent.",
    "Parent emailed copies of the school reports and the paediatrician's letter.",
    "Helped write the parent's views for the annual review.",
    "Attended the annual review with the parent. Placement to be reconsidered.",
    "Deadline for the local authority's decision noted in the diary.",
    "Explained mediation; parent wants to think about it over the weekend.",
    "Appeal lodged by the parent; offered help with the bundle.",
    "Meeting with the SENCO went well; extra support agreed from next half-term.",
    "Parent says things are settled for now; agreed to close the case.",
    "Chased the local authority about the late plan; caseworker apologised.",
    "Sent the parent the template letter about part-time timetables.",
    "Spoke to the young person with the parent's agreement about college options.",
    "Transport appeal hearing booked; went through what to say.",
    "Case reopened: new school not following the plan.",
)
THIRD_PARTY_SUMMARIES: tuple[str, ...] = (
    "Asked for the date of the next review meeting.",
    "Shared the parent's views ahead of the annual review, as agreed.",
    "Checked what support is in place this term.",
    "Asked for an update on the needs assessment timescale.",
    "Passed on the parent's request for a meeting.",
    "Referred for advice on the child's learning needs, with the parent's agreement.",
)
EDITED_SUFFIX = " (Corrected the date after checking the letter.)"
SAFEGUARDING_TEXTS: tuple[str, ...] = (
    "Parent disclosed worries about the child's safety at home; discussed with line manager.",
    "Young person said they felt unsafe on school transport; referred on with consent.",
    "Concern about self-harm mentioned in passing; followed the safeguarding procedure.",
)
AGENCIES: tuple[str, ...] = ("Children's social care front door", "School designated safeguarding lead",
                             "Police (non-emergency)", "")
PASSWORD_WORDS: tuple[str, ...] = (
    "harbour", "violet", "lantern", "meadow", "copper", "sparrow", "thistle", "orchard", "pebble",
    "willow", "ember", "juniper", "saffron", "marble", "heron", "clover",
)

# The diary: what appointments are for (private), and places other than schools.
APPOINTMENT_PURPOSES: dict[str, tuple[str, ...]] = {
    "meeting with parent": (
        "Go through the draft EHC plan together before the deadline for comments.",
        "Help write the parental views section for the needs assessment request.",
        "Explain the options after the refusal to assess, including mediation.",
        "Read through the school's SEN support plan and agree what to ask for.",
        "Prepare questions for the meeting with the SENCO.",
        "Talk through transition to secondary school and visits to arrange.",
    ),
    "school meeting": (
        "Support mum at the meeting with the SENCO about the support plan.",
        "Attend the reintegration meeting after the fixed-term exclusion.",
        "Transition meeting with the receiving school.",
        "Review of reasonable adjustments for exams.",
    ),
    "annual review": (
        "Annual review of the EHC plan; parent asked for support in the meeting.",
        "Annual review at the phase transfer year: named school to agree.",
        "Annual review: outcomes in section E to be updated.",
    ),
    "tribunal": (
        "First-tier Tribunal hearing: appeal against the contents of the plan.",
        "Tribunal hearing about the named placement.",
    ),
    "training": (
        "Local offer update for the team.",
        "Safeguarding refresher training.",
        "IPSEA legal training, day one.",
        "Team meeting and case supervision.",
    ),
    "other": (
        "Parent carer forum drop-in session.",
        "Stand at the SEND information fair.",
    ),
}
OTHER_VENUES: tuple[str, ...] = ("County Hall", "Central Library", "The Family Centre",
                                 "Civic Offices", "Children's Centre")
TRIBUNAL_VENUES: tuple[str, ...] = ("Tribunal Hearing Centre", "Magistrates' Court annexe")
