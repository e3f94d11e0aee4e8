"""Proposals written about three distinct topics: the known right answer for the clustering tests."""

BROADBAND = [
    ("Fibre backbone for remote districts", "Laying fibre backhaul to district towns so that rural operators can sell affordable broadband."),
    ("Community networks in mountain villages", "Villagers build and run their own wireless mesh network where commercial operators never came."),
    ("Spectrum for rural wireless internet", "Licence-exempt spectrum and TV white space let small providers connect farms and villages."),
    ("Satellite links for island schools", "Low earth orbit satellite terminals bring broadband to schools on remote islands."),
    ("Universal service funds that reach villages", "Reforming universal service funds to finance last-mile rural connectivity projects."),
    ("Shared towers cut the cost of rural coverage", "Infrastructure sharing of towers and ducts lowers the cost of mobile broadband in rural areas."),
    ("Solar powered base stations off the grid", "Off-grid villages get 4G coverage from solar powered base stations and microwave backhaul."),
    ("Mapping the rural connectivity gap", "Open maps of broadband coverage show which villages lack a fibre or mobile connection."),
    ("Dig once policies for rural fibre", "Laying fibre ducts whenever roads are built makes rural backbone networks cheaper."),
    ("Broadband for smallholder farmers", "Connecting farming cooperatives to rural broadband so that farmers reach markets online."),
    ("Municipal open access networks", "Towns own passive fibre infrastructure and lease it to every internet provider on equal terms."),
]
CYBER = [
    ("Training national incident responders", "A regional academy trains computer emergency response team staff in incident handling."),
    ("Ransomware drills for hospitals and ministries", "Tabletop exercises prepare ministries and hospitals to respond to ransomware attacks."),
    ("Cyber hygiene for small businesses", "Small businesses learn password managers, patching and phishing awareness to stay secure."),
    ("Threat intelligence sharing between CERTs", "National CERTs exchange indicators of compromise and malware samples through a trusted platform."),
    ("Women in cybersecurity careers", "Mentoring and scholarships bring more women into security operations and penetration testing."),
    ("Protecting critical infrastructure from cyber attacks", "Power grids and water utilities assess vulnerabilities and harden industrial control systems."),
    ("National cybersecurity strategies that work", "Governments draft cybersecurity strategies with clear roles for the national CERT and regulators."),
    ("Capture the flag competitions for students", "Students practise ethical hacking, forensics and vulnerability discovery in capture the flag games."),
    ("Coordinated vulnerability disclosure", "Researchers report security flaws to vendors through a coordinated disclosure process with safe harbour."),
    ("Security operations centres for small states", "Small island states share one security operations centre to monitor threats and malware."),
    ("Child online safety and cyber threats", "Parents and teachers learn to protect children from online scams, phishing and account takeover."),
]
HEALTH = [
    ("Interoperable electronic health records", "Hospitals and clinics exchange patient records through HL7 FHIR interfaces."),
    ("Telemedicine for rural clinics", "Nurses in rural clinics consult specialists by video and share patient records securely."),
    ("Patient consent for health data", "Patients decide who may read their electronic medical records and see every access."),
    ("Digital vaccination registries", "Electronic immunization registries track every child's vaccination history across clinics."),
    ("Mobile health for maternal care", "Text messages remind pregnant women of antenatal visits and record them in the clinic's health records."),
    ("Hospital information systems on open source", "Open source hospital information systems manage admissions, laboratory results and prescriptions."),
    ("Unique patient identifiers", "A national patient identifier links medical records of one person across hospitals."),
    ("Electronic prescriptions for pharmacies", "Doctors send electronic prescriptions that pharmacies verify against the patient's record."),
    ("Disease surveillance from clinic data", "Clinic health records feed a surveillance dashboard that detects outbreaks of disease early."),
    ("Training health workers in digital records", "Community health workers learn to keep patient records on tablets instead of paper."),
    ("Privacy of medical data in the cloud", "Rules for hosting electronic health records in the cloud protect patient confidentiality."),
]
TOPICS = {"broadband": BROADBAND, "cyber": CYBER, "health": HEALTH}
TAGS = {"broadband": (("C2",), (9,)), "cyber": (("C5",), (16,)), "health": (("C7-EHEALTH",), (3,))}


def make_topic_proposals(consultation, **fields):
    """Make the 33 proposals; returns {topic: [proposal, ...]}."""
    from tests.factories import make_proposal

    made = {}
    for topic, items in TOPICS.items():
        lines, sdgs = TAGS[topic]
        made[topic] = [make_proposal(consultation, title=title, summary=summary,
                                     description=topic_description(topic, index, summary),
                                     action_lines=lines + ("C4",) if index % 3 == 0 else lines, sdgs=sdgs, **fields)
                       for index, (title, summary) in enumerate(items)]
    return made

# Second sentences of the descriptions, as longer real texts would carry; each used by several proposals.
CONTEXT = {
    "broadband": [
        "Rural households still pay more for slower internet than people in cities.",
        "Operators say the villages are too far from the backbone to be profitable.",
        "Regulators can lower the cost of connecting the last mile to remote communities.",
        "Affordable connectivity is the first step for people who are still offline.",
    ],
    "cyber": [
        "Attacks on public services grow every year while skilled defenders stay scarce.",
        "Incident response needs trained people, tested plans and trust between teams.",
        "Developing countries ask for help to build their capacity against cyber threats.",
        "Security is a shared responsibility of governments, companies and users.",
    ],
    "health": [
        "Doctors lose time when medical histories stay on paper in another clinic.",
        "Health ministries need reliable data to plan care and follow patients.",
        "Patients must trust that their medical information stays confidential.",
        "Digital health works only when clinics, hospitals and pharmacies speak one standard.",
    ],
}


def topic_description(topic: str, index: int, summary: str) -> str:
    """A two-sentence description: the proposal's own sentence and one of its topic's context sentences."""
    return f"{summary} {CONTEXT[topic][index % len(CONTEXT[topic])]}"
