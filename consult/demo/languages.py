"""Demo proposals written in French, Spanish, Arabic, Russian and Chinese, so that the language filter and the
text model of each language show: two or three proposals per language on a shared topic, one Russian proposal
with no other in its language (its pages say that nothing in Russian is there to compare it with).
"""
from consult.proposals.models import Proposal, ProposalActionLine, ProposalKind, ProposalSdg, ProposalStatus
from consult.reference import ForumPart, StakeholderType, region_for_country

# language, title, summary, description, action lines, SDGs, submitter (name, organization, type, country)
PROPOSALS = (
    ("fr", "Fracture numérique dans les zones rurales d'Afrique de l'Ouest",
     "Les villages sans réseau mobile restent à l'écart des services publics en ligne et de l'éducation à distance.",
     "Nous proposons de comparer les réseaux communautaires du Sénégal, du Mali et du Burkina Faso : leur "
     "financement, la gestion locale des antennes et la formation des techniciens villageois. La fracture "
     "numérique entre villes et campagnes se creuse lorsque l'accès au haut débit dépend des seuls opérateurs.",
     ("C2",), (9, 10), ("Aminata Traoré", "Réseau des radios communautaires du Sahel", "civil_society", "ML")),
    ("fr", "Réseaux communautaires et haut débit rural",
     "Des coopératives villageoises installent et entretiennent leur propre réseau pour réduire la fracture numérique.",
     "Les réseaux communautaires apportent le haut débit aux zones rurales que les opérateurs délaissent. La séance "
     "présentera les règles d'attribution du spectre, les petites subventions et la formation des techniciens "
     "locaux qui permettent à ces réseaux de durer au-delà de leur phase pilote.",
     ("C2", "C6"), (9,), ("Jean-Pierre Habimana", "Ministère des TIC du Rwanda", "government", "RW")),
    ("fr", "Protection des données personnelles dans l'administration en ligne",
     "Les citoyens confient leurs données aux portails publics sans savoir qui y accède ni pour combien de temps.",
     "Nous proposons un échange entre autorités de protection des données sur la minimisation des données, le "
     "consentement et les registres d'accès dans les services d'administration électronique.",
     ("C5", "C7-EGOV"), (16,), ("Claire Dubois", "Commission nationale de l'informatique et des libertés", "government",
                                "FR")),
    ("es", "Alfabetización digital para mujeres indígenas",
     "Las mujeres indígenas de zonas rurales son las que menos acceso tienen a la formación en competencias digitales.",
     "Proponemos compartir la experiencia de talleres comunitarios en lenguas originarias en Bolivia, Guatemala y "
     "Perú: formadoras locales, materiales adaptados y teléfonos compartidos para aprender a usar la banca móvil, "
     "los servicios de salud en línea y la mensajería segura.",
     ("C4", "C8"), (4, 5), ("Rosa Quispe", "Red de Mujeres Indígenas en Tecnología", "civil_society", "BO")),
    ("es", "Competencias digitales de las mujeres rurales en América Latina",
     "La formación en competencias digitales llega tarde a las mujeres rurales y casi nunca en su propia lengua.",
     "Presentaremos programas de alfabetización digital para mujeres rurales e indígenas, con formadoras de la "
     "misma comunidad y contenidos en lenguas originarias, y lo que enseñan sobre la brecha digital de género.",
     ("C4",), (5, 10), ("Carmen Gutiérrez", "Universidad Nacional de Colombia", "academia", "CO")),
    ("es", "Ciberseguridad para pequeñas empresas",
     "Las pequeñas empresas sufren la mayoría de los ataques de programas de secuestro y apenas tienen defensas.",
     "Proponemos una guía práctica de ciberseguridad para pymes: copias de seguridad, autenticación de dos factores "
     "y equipos de respuesta a incidentes compartidos entre cámaras de comercio.",
     ("C5",), (8, 9), ("Diego Morales", "Cámara de Comercio Electrónico de México", "private_sector", "MX")),
    ("ar", "الشمول الرقمي للشباب في المنطقة العربية",
     "يواجه الشباب في المناطق الريفية العربية صعوبة في الوصول إلى الإنترنت والتدريب على المهارات الرقمية.",
     "نقترح جلسة لتبادل تجارب مراكز التدريب المجتمعية في مصر والأردن وتونس، وبرامج المهارات الرقمية للشباب "
     "العاطلين عن العمل، ودور الحكومات في توفير النفاذ إلى الإنترنت بأسعار ميسورة في المناطق الريفية.",
     ("C4", "C7-EEMPLOY"), (4, 8), ("Ahmed El-Sayed", "Arab Youth ICT Forum", "civil_society", "EG")),
    ("ar", "المهارات الرقمية وتشغيل الشباب",
     "برامج المهارات الرقمية تفتح أمام الشباب العربي فرص العمل عن بعد والعمل الحر عبر الإنترنت.",
     "تعرض الجلسة برامج تدريب الشباب على المهارات الرقمية في المغرب والأردن، وشراكات الجامعات مع القطاع الخاص، "
     "وسبل توسيع النفاذ إلى الإنترنت في المناطق الريفية لتشغيل الشباب.",
     ("C4",), (8,), ("Layla Haddad", "الجامعة الأردنية", "academia", "JO")),
    ("ru", "Кибербезопасность критической инфраструктуры",
     "Атаки на энергосети и больницы показывают, как уязвима критическая инфраструктура.",
     "Предлагаем обсудить национальные группы реагирования на компьютерные инциденты, обмен сведениями об угрозах "
     "между странами СНГ и подготовку специалистов по кибербезопасности для энергетики и здравоохранения.",
     ("C5",), (9, 16), ("Irina Petrova", "Координационный центр доменов .RU/.РФ", "technical_community", "RU")),
    ("zh", "人工智能赋能智慧农业",
     "人工智能技术帮助小农户预测病虫害、管理灌溉并提高粮食产量。",
     "我们建议分享中国和东南亚地区利用人工智能和卫星遥感开展智慧农业的经验，包括农民数字技能培训、农业数据共享"
     "平台以及保护农户数据隐私的做法。",
     ("C7-EAGRI",), (2, 9), ("Grace Liu", "UNDP Asia-Pacific Regional Hub", "international_organization", "TH")),
    ("zh", "农村数字技能培训与智慧农业",
     "农村地区的农民需要数字技能培训，才能用好智慧农业和电子商务平台。",
     "本次会议将介绍农村数字技能培训项目、智慧农业应用以及农产品电子商务的经验，探讨如何缩小城乡数字鸿沟。",
     ("C7-EAGRI", "C4"), (2, 4), ("Wang Fang", "中国信息通信研究院", "academia", "CN")),
)


# Sent to the secretariat in the writer's language and entered by it: the demo stakeholders write in English.
SOURCE = "E-mail to the secretariat"


def multilingual_proposals(consultation_id: int, first_number: int) -> list[Proposal]:
    """The demo's proposals in other languages than English, submitted, numbered from first_number."""
    proposals = []
    for offset, (language, title, summary, description, lines, sdgs, submitter) in enumerate(PROPOSALS):
        name, organization, stakeholder_type, country = submitter
        proposal = Proposal(
            consultation_id=consultation_id, number=first_number + offset, kind=ProposalKind.THEMATIC,
            status=ProposalStatus.SUBMITTED, forum_part=ForumPart.ACTION_LINES, title=title, summary=summary,
            description=description, language=language, source=SOURCE, submitter_name=name,
            organization=organization, stakeholder_type=StakeholderType(stakeholder_type), country=country,
            region=region_for_country(country),
        )
        proposal.action_lines = [ProposalActionLine(code=code) for code in lines]
        proposal.sdgs = [ProposalSdg(sdg=number) for number in sdgs]
        proposals.append(proposal)
    return proposals
