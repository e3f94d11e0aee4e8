"""Demo data of the proposals area: about 60 thematic and format proposals from some 30 stakeholders.

Set directly on the models (not through the services) so that seeding works whatever the demo's phase.
"""
import random
from datetime import timedelta

import sqlalchemy as sa

from consult.accounts.models import Role, User
from consult.db import utcnow
from consult.demo.foundation import Demo
from consult.demo.languages import multilingual_proposals
from consult.extensions import db
from consult.proposals.classification import suggest_labels_for_texts
from consult.proposals.models import (
    ImportBatch,
    Proposal,
    ProposalActionLine,
    ProposalKind,
    ProposalRevision,
    ProposalSdg,
    ProposalStatus,
    Speaker,
    SpeakerAnswer,
)
from consult.proposals.services import revision_data
from consult.proposals.similarity import proposal_text
from consult.reference import ForumPart, StakeholderType, country_name, region_for_country

# Name, organization, stakeholder type, country: the submitters, in roughly the 2017 shares of stakeholder types.
SUBMITTERS = (
    ("Fatou Ndiaye", "Senegal Digital Rights Network", "civil_society", "SN"),
    ("Rahul Mehta", "Internet Freedom Foundation India", "civil_society", "IN"),
    ("Lucía Fernández", "Fundación Conectar", "civil_society", "AR"),
    ("Joseph Kamau", "Women in Tech Kenya", "civil_society", "KE"),
    ("Sofia Rossi", "Digital Citizens Italia", "civil_society", "IT"),
    ("Tran Thi Mai", "Mekong Community Media", "civil_society", "VN"),
    ("Olena Kovalenko", "Open Libraries Ukraine", "civil_society", "UA"),
    ("Ahmed El-Sayed", "Arab Youth ICT Forum", "civil_society", "EG"),
    ("Maria Santos", "Ministry of Science, Technology and Innovation", "government", "BR"),
    ("Jean-Baptiste Mugabo", "Ministry of ICT and Innovation", "government", "RW"),
    ("Hiroshi Sato", "Ministry of Internal Affairs and Communications", "government", "JP"),
    ("Anna Nowak", "Ministry of Digital Affairs", "government", "PL"),
    ("Samuel Osei", "National Communications Authority", "government", "GH"),
    ("Isabel Ortega", "Agencia de Gobierno Electrónico", "government", "UY"),
    ("David Chen", "Pacific Cloud Services", "private_sector", "SG"),
    ("Emma Johansson", "Nordic Mobile Networks", "private_sector", "SE"),
    ("Chinedu Okafor", "Lagos Fintech Hub", "private_sector", "NG"),
    ("Laura Martin", "EduSoft Canada", "private_sector", "CA"),
    ("Priya Nair", "University of Kerala", "academia", "IN"),
    ("Thomas Weber", "Technical University of Munich", "academia", "DE"),
    ("Aisha Bello", "University of Cape Town", "academia", "ZA"),
    ("Carlos Ramírez", "Universidad de Chile", "academia", "CL"),
    ("Nadia Haddad", "American University of Beirut", "academia", "LB"),
    ("Kofi Asante", "AfriNIC", "technical_community", "MU"),
    ("Elena Petrova", "RIPE NCC", "technical_community", "NL"),
    ("Marco Bianchi", "Internet Society Chapter Italy", "technical_community", "IT"),
    ("Helen Clarke", "UNESCO Communication Sector", "international_organization", "FR"),
    ("Omar Farouk", "ITU Regional Office for Arab States", "international_organization", "EG"),
    ("Grace Liu", "UNDP Asia-Pacific Regional Hub", "international_organization", "TH"),
    ("Pedro Alves", "UNCTAD E-commerce Programme", "international_organization", "CH"),
)

# Topics: title, action lines, SDGs, forum part, what it is about, what is proposed, why now.
TOPICS = (
    ("Community networks for rural schools", ("C2", "C7-ELEARN"), (4, 9), "action_lines",
     "Community-run networks connect schools that commercial operators leave out.",
     "We propose to share how villages build, finance and maintain their own wireless networks with local technicians.",
     "Spectrum rules and small grants decide whether such networks survive beyond their pilot year."),
    ("Digital skills for older people", ("C4",), (4, 10), "action_lines",
     "Older people are the fastest-growing group of new internet users and the least supported one.",
     "Libraries and volunteers run short courses on online banking, health portals and safe messaging.",
     "Public services move online faster than people learn to use them, and exclusion follows."),
    ("Trust in mobile money", ("C5", "C7-EBUS"), (1, 8), "action_lines",
     "Fraud and opaque fees keep many households from relying on mobile payments.",
     "Regulators, operators and consumer groups would compare dispute procedures and fraud alerts that work.",
     "Remittances and social transfers now travel through these wallets, so failures hit the poorest first."),
    ("Open data for city services", ("C3", "C7-EGOV"), (11, 16), "action_lines",
     "Cities publish transport, budget and permit data, but few residents use it.",
     "A hands-on session where city officials and civic developers build a small service from real data sets.",
     "Open data pays off only when someone turns it into something residents need every day."),
    ("Telemedicine after the pandemic", ("C7-EHEALTH",), (3,), "action_lines",
     "Remote consultations grew quickly and now need rules on quality, privacy and payment.",
     "Health ministries and clinics would present what they kept, what they dropped and why.",
     "Without reimbursement and clear liability, remote care risks falling back to emergencies only."),
    ("Local content in indigenous languages", ("C8", "C3"), (4, 10), "action_lines",
     "Most online content exists in a handful of languages, leaving many communities without material in their own.",
     "Community radio, archives and translators would show tools for recording, transcribing and publishing local languages.",
     "Speech technology now makes this affordable, but only if communities keep control of their recordings."),
    ("Climate data for farmers", ("C7-EAGRI", "C7-EENV"), (2, 13), "action_lines",
     "Smallholders need weather and soil information in a form they can act on.",
     "Meteorological services and farmer cooperatives would explain how forecasts reach fields by SMS and radio.",
     "Planting calendars shift with the climate and old knowledge alone no longer suffices."),
    ("Cybersecurity capacity in small states", ("C5", "C11"), (16, 17), "action_lines",
     "Small island and landlocked states run critical services with very few security specialists.",
     "Regional CERTs would describe shared incident response, training exchanges and pooled tools.",
     "Attacks on ministries and hospitals have shown that no state can defend alone."),
    ("Gender balance among Forum speakers", ("C10",), (5,), "themes_and_structure",
     "Panels at technology events still feature far more men than women.",
     "We suggest a speaker pledge, a public count per session and a roster of experts ready to speak.",
     "Visible commitments changed the balance at other conferences within two editions."),
    ("A more interactive high-level segment", ("C1", "C11"), (17,), "high_level_segment",
     "Policy statements follow one another without discussion, and the audience leaves early.",
     "Replace some statements with moderated dialogues where ministers answer questions from young participants.",
     "High-level attention is scarce; it should produce commitments that can be followed up next year."),
    ("E-waste and the circular economy", ("C7-EENV",), (12, 13), "action_lines",
     "Discarded devices pile up where collection and safe recycling are missing.",
     "Manufacturers, recyclers and informal collectors would discuss take-back schemes that pay collectors fairly.",
     "The volume of e-waste grows every year and valuable materials are lost with it."),
    ("Media literacy against disinformation", ("C9", "C10"), (4, 16), "action_lines",
     "False stories spread fastest in times of crisis and elections.",
     "Journalists and teachers would share classroom exercises and newsroom verification routines.",
     "Platforms change their rules often; skills in people's heads last longer."),
    ("Digital public goods for government", ("C7-EGOV", "C6"), (9, 16), "action_lines",
     "Governments pay repeatedly for similar software that could be shared.",
     "Countries that reuse open identity, payment and registry systems would present costs and pitfalls.",
     "Shared building blocks let smaller administrations offer services they could not build alone."),
    ("Remote work and decent jobs online", ("C7-EEMPLOY",), (8, 10), "action_lines",
     "Online platforms offer work across borders but little protection.",
     "Workers' groups, platforms and labour ministries would compare rating appeals, pay and social security.",
     "Millions now earn most of their income online, often without any contract."),
    ("Open science and research data", ("C7-ESCI", "C3"), (9, 17), "action_lines",
     "Researchers in many countries cannot reach data and journals their peers take for granted.",
     "Repositories and universities would show how shared infrastructure lowers costs for everyone.",
     "Funders increasingly require open data, but the means to publish it are unevenly spread."),
    ("Regional follow-up of the Forum", ("C11",), (17,), "themes_and_structure",
     "Much of what is said in Geneva never reaches regional and national meetings.",
     "Each regional commission would report back on one outcome and invite the next year's speakers.",
     "A visible link between global and regional events makes the whole process more credible."),
)

FORMAT_CODES = ("thematic_workshop", "interactive_session", "knowledge_cafe", "country_workshop", "high_level_dialogue",
                "information_session", "hackathon", "open_space_talk")
SPEAKER_NAMES = ("Amara Diop", "Lars Nielsen", "Yuki Watanabe", "Fernanda Lima", "Moses Banda", "Ingrid Holm",
                 "Ravi Shankar", "Leila Karimi", "Tomás Herrera", "Zanele Dlamini", "Ewa Zielinska", "Kenji Mori")
APPROACH = ("The session would open with two short case studies, one from a large and one from a small country, "
            "followed by questions from the room and from remote participants. We will publish a two-page summary "
            "with the main points and contacts so that others can build on the experience. Partners from at least "
            "three regions have agreed to contribute, and we welcome others who work on the same questions.")

# The 2017 OCP had submissions from every group; these weights give roughly its shares.
TYPE_WEIGHTS = {"civil_society": 30, "government": 20, "private_sector": 15, "academia": 15,
                "international_organization": 12, "technical_community": 8}
DEMO_PROPOSALS = 60


def _description(topic) -> str:
    _title, _lines, _sdgs, _part, about, proposal, why = topic
    return f"{about} {proposal}\n\n**Why now.** {why}\n\n{APPROACH}"


def _stakeholders(demo: Demo) -> list[User]:
    from consult.demo import DEMO_PASSWORD

    existing = {email for email in db.session.execute(sa.select(User.email)).scalars()}
    users = []
    for index, (name, organization, stakeholder_type, country) in enumerate(SUBMITTERS, start=1):
        email = f"stakeholder{index:02d}@demo.consult.example"
        if email in existing:
            users.append(db.session.execute(sa.select(User).where(User.email == email)).scalar_one())
            continue
        user = User(name=name, email=email, organization=organization, stakeholder_type=StakeholderType(stakeholder_type),
                    country=country, region=region_for_country(country), role=Role.STAKEHOLDER,
                    email_verified_at=utcnow())
        # One cheap hash for every demo account: the demo is for looking around, not for guarding anything.
        user.password_hash = demo.stakeholder.password_hash if demo.stakeholder else ""
        if not user.password_hash:
            user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        users.append(user)
    db.session.flush()
    return users


def _weighted_submitters(users: list[User], rng: random.Random, count: int) -> list[User]:
    weights = [TYPE_WEIGHTS[user.stakeholder_type.value] / sum(1 for u in users if u.stakeholder_type is user.stakeholder_type)
               for user in users]
    return rng.choices(users, weights=weights, k=count)


def _make(demo: Demo, rng: random.Random, topic, submitter: User | None, *, number: int | None, status: ProposalStatus,
          kind: ProposalKind, source: str = "online", batch: ImportBatch | None = None, variant: int = 0) -> Proposal:
    title, lines, sdgs, part, about, _proposal, _why = topic
    consultation = demo.consultation
    if variant:
        # Another submitter's take on the same topic, told apart by where it comes from. (A suffix shared across
        # topics, such as ": a practical workshop", would make the clustering group by the suffix.)
        where = submitter.country if submitter is not None else None
        title = f"{title} ({country_name(where) if where else ('regional input', 'meeting input', 'e-mail input')[variant % 3]})"
    proposal = Proposal(
        consultation_id=consultation.id, number=number, submitter_id=submitter.id if submitter else None, kind=kind,
        status=status, forum_part=ForumPart(part), title=title,
        summary=f"{about} {_proposal} Our aim is a short list of practices that others can adopt in the coming year.",
        description=_description(topic), keywords=", ".join(title.lower().replace(":", "").split()[:3]),
        source=source, import_batch_id=batch.id if batch else None,
    )
    if submitter is not None:
        proposal.submitter_name, proposal.submitter_email = submitter.name, submitter.email
        proposal.organization, proposal.stakeholder_type = submitter.organization, submitter.stakeholder_type
        proposal.country, proposal.region = submitter.country, submitter.region
    else:
        name, organization, stakeholder_type, country = rng.choice(SUBMITTERS)
        proposal.submitter_name, proposal.organization = name, organization
        proposal.stakeholder_type, proposal.country = StakeholderType(stakeholder_type), country
        proposal.region = region_for_country(country)
    if kind is ProposalKind.FORMAT:
        proposal.format_code = rng.choice(FORMAT_CODES)
        proposal.duration_minutes = rng.choice((45, 60, 90))
        proposal.expected_audience = rng.choice((30, 50, 80, 120))
        proposal.is_binding_request = rng.random() < 0.5
        proposal.has_remote_participation = rng.random() < 0.7
        names = rng.sample(SPEAKER_NAMES, rng.randint(2, 4))
        for position, name in enumerate(names):
            speaker_org = rng.choice(SUBMITTERS)
            # Speakers with an address were asked by e-mail: some confirmed through their link, some not yet.
            answer = rng.choice((SpeakerAnswer.CONFIRMED, SpeakerAnswer.CONFIRMED, SpeakerAnswer.PENDING,
                                 SpeakerAnswer.DECLINED, SpeakerAnswer.NOT_INVITED))
            email = "" if answer is SpeakerAnswer.NOT_INVITED else \
                f"{name.split()[0].lower()}.{position}@speakers.demo.consult.example"
            answered = answer in (SpeakerAnswer.CONFIRMED, SpeakerAnswer.DECLINED)
            proposal.speakers.append(Speaker(position=position, name=name, organization=speaker_org[1],
                                             stakeholder_type=StakeholderType(speaker_org[2]), country=speaker_org[3],
                                             gender=rng.choice(("female", "male", "")),
                                             is_confirmed=answer is SpeakerAnswer.CONFIRMED or (
                                                 answer is SpeakerAnswer.NOT_INVITED and rng.random() < 0.5),
                                             is_remote=rng.random() < 0.3, email=email, answer=answer,
                                             invited_at=None if answer is SpeakerAnswer.NOT_INVITED else utcnow(),
                                             answered_at=utcnow() if answered else None))
    proposal.action_lines = [ProposalActionLine(code=code) for code in lines]
    proposal.sdgs = [ProposalSdg(sdg=sdg) for sdg in sdgs]
    return proposal


def seed_proposals(demo: Demo) -> None:
    """About 60 proposals of both kinds, some drafts and withdrawn ones, a few imported; the demo stakeholder has three."""
    rng = random.Random(2017)  # nosec B311 (reproducible sample data for the demo, not a secret)
    consultation = demo.consultation
    call = next((phase for phase in consultation.phases if phase.kind.value == "call_open"), None)
    opened = call.opens_at if call else None
    users = _stakeholders(demo)
    number = (db.session.execute(sa.select(sa.func.max(Proposal.number))
                                 .where(Proposal.consultation_id == consultation.id)).scalar_one() or 0)
    proposals = []
    unlabelled: list[Proposal] = []

    def add(proposal: Proposal, *, days: int) -> Proposal:
        if opened is not None:
            proposal.created_at = proposal.updated_at = opened + timedelta(days=days, hours=rng.randint(0, 23))
        if proposal.status is not ProposalStatus.DRAFT:
            proposal.submitted_at = proposal.created_at
        db.session.add(proposal)
        proposals.append(proposal)
        return proposal

    # The demo stakeholder's own: one submitted (with a later edit), one draft, one withdrawn.
    if demo.stakeholder is not None:
        number += 1
        own = add(_make(demo, rng, TOPICS[0], demo.stakeholder, number=number, status=ProposalStatus.SUBMITTED,
                        kind=ProposalKind.FORMAT), days=5)
        add(_make(demo, rng, TOPICS[1], demo.stakeholder, number=None, status=ProposalStatus.DRAFT,
                  kind=ProposalKind.THEMATIC, variant=1), days=20)
        number += 1
        withdrawn = add(_make(demo, rng, TOPICS[11], demo.stakeholder, number=number, status=ProposalStatus.WITHDRAWN,
                              kind=ProposalKind.THEMATIC, variant=2), days=8)
        withdrawn.withdraw_reason = "We joined a similar proposal from a partner network instead."
        withdrawn.withdrawn_at = withdrawn.created_at + timedelta(days=10)
    else:
        own = None

    online = DEMO_PROPOSALS - len(proposals) - 6
    for index, submitter in enumerate(_weighted_submitters(users, rng, online)):
        topic = TOPICS[index % len(TOPICS)]
        status = ProposalStatus.SUBMITTED
        if index % 13 == 5:
            status = ProposalStatus.DRAFT
        elif index % 11 == 7:
            status = ProposalStatus.WITHDRAWN
        if status is not ProposalStatus.DRAFT:
            number += 1
        proposal = add(_make(demo, rng, topic, submitter, number=number if status is not ProposalStatus.DRAFT else None,
                             status=status, kind=ProposalKind.FORMAT if index % 3 == 1 else ProposalKind.THEMATIC,
                             variant=index // len(TOPICS)), days=10 + index * 2)
        if status is ProposalStatus.WITHDRAWN:
            proposal.withdrawn_at = proposal.created_at + timedelta(days=3)
            proposal.withdraw_reason = "Merged into a joint proposal."

    # Submissions received elsewhere and imported by the chair.
    for offset, (source, filename) in enumerate((("Regional event: WSIS Africa Review, Addis Ababa", "africa-review.xlsx"),
                                                 ("Physical meeting: open consultation, Geneva", "geneva-meeting.csv"))):
        batch = ImportBatch(consultation_id=consultation.id, filename=filename, row_count=3,
                            imported_by_id=demo.chair.id if demo.chair else None)
        db.session.add(batch)
        db.session.flush()
        for index in range(3):
            number += 1
            imported = add(_make(demo, rng, TOPICS[(offset * 5 + index * 3 + 2) % len(TOPICS)], None, number=number,
                                 status=ProposalStatus.SUBMITTED, kind=ProposalKind.THEMATIC, source=source,
                                 batch=batch, variant=index + 1), days=40 + offset * 30)
            if offset == 1:
                # Notes of a physical meeting carry no action lines: they await the committee's labels.
                imported.action_lines, imported.is_to_classify = [], True
                unlabelled.append(imported)

    for proposal in multilingual_proposals(consultation.id, number + 1):
        number += 1
        add(proposal, days=30 + number % 20)
    db.session.flush()
    for proposal, suggestion in zip(unlabelled, suggest_labels_for_texts(
            consultation.id, [proposal_text(proposal) for proposal in unlabelled],
            [proposal.language for proposal in unlabelled]), strict=True):
        proposal.suggested_labels = suggestion.as_json()
    for proposal in proposals:
        if proposal.status is ProposalStatus.SUBMITTED and proposal.submitter_id is not None:
            db.session.add(ProposalRevision(proposal_id=proposal.id, number=1, author_id=proposal.submitter_id,
                                            created_at=proposal.submitted_at, data=revision_data(proposal)))
    if own is not None:
        # A later edit, so that the chair sees a readable difference between two revisions.
        own.summary = own.summary.replace("Our aim is", "Our aim, agreed with two partner networks, is")
        db.session.flush()
        db.session.add(ProposalRevision(proposal_id=own.id, number=2, author_id=own.submitter_id,
                                        created_at=own.submitted_at + timedelta(days=6), data=revision_data(own)))
    db.session.flush()
    demo.extra["proposals"] = [proposal.id for proposal in proposals]
