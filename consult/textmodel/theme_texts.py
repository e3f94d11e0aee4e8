"""What each action line and SDG is about, as the text model reads it: the model's own vocabulary of the themes."""

# What each action line and SDG is about, in the key terms of the Geneva Plan of Action (2003) and of the SDG
# targets: summaries written for the text model, which places short proposals near the themes they name. They
# are model vocabulary (English, compared with stemmed words), never shown to people, hence not translated.
ACTION_LINE_TEXTS: dict[str, str] = {
    "C1": "The role of public governance authorities and all stakeholders in the promotion of ICTs for "
          "development. National e-strategies and ICT policies integrated into national development plans and "
          "poverty reduction strategies; government leadership; multi-stakeholder partnerships and public-private "
          "partnership; dialogue among governments, private sector, civil society and international "
          "organizations; bridging the digital divide; ICT for development policy making and national ICT "
          "strategy.",
    "C2": "Information and communication infrastructure: an essential foundation for the Information Society. "
          "Broadband networks, connectivity, backbone and international connectivity, internet exchange points, "
          "telecommunication networks, mobile and satellite networks, spectrum, universal access and universal "
          "service policies, affordable access in rural, remote and underserved areas, community access points, "
          "low-cost terminals and equipment, access for persons with disabilities, investment in network "
          "infrastructure, connecting schools, libraries, villages and hospitals.",
    "C3": "Access to information and knowledge. Public domain information, public access to the internet in "
          "libraries, archives, post offices, museums and community centres, multipurpose community access "
          "points, open access to scientific information, free and open source software, open data and "
          "open government information, digital libraries and archives, freedom of information, access to "
          "knowledge for all including the poor and marginalized.",
    "C4": "Capacity building. Digital literacy and ICT skills for all, education and training, e-literacy, "
          "teacher training, curricula, human resource development, ICT professionals and experts, youth, women "
          "and girls, lifelong learning, building the capacity of institutions and communities, distance "
          "training and skills development for the digital economy.",
    "C5": "Building confidence and security in the use of ICTs. Information security and network security, "
          "cybersecurity, cybercrime and the misuse of ICTs, spam, authentication, privacy and data protection, "
          "trust in online transactions, protection of critical information infrastructure, computer emergency "
          "response teams and incident response, child online protection, a global culture of cybersecurity, "
          "security of networks and resilience against cyber attacks.",
    "C6": "Enabling environment. Legal, regulatory and policy framework, telecommunication regulation and "
          "independent regulators, competition, investment climate, the rule of law, internet governance and "
          "management of domain names and IP addresses, intellectual property, consumer protection, e-commerce "
          "law, standards and interoperability, spectrum management, taxation, net neutrality, policies that "
          "foster innovation and entrepreneurship.",
    "C7": "ICT applications: benefits in all aspects of life. Applications and digital services for "
          "government, business, learning, health, employment, environment, agriculture and science, at "
          "national and local level.",
    "C7-EGOV": "E-government. Online public services and public administration, digital government strategies, "
               "transparency, accountability and efficiency of government, citizen participation and "
               "e-participation, digital identity, e-voting, government portals and interoperable public "
               "sector systems.",
    "C7-EBUS": "E-business. Electronic commerce, trade, small and medium-sized enterprises, online payments and "
               "mobile money, digital economy, entrepreneurship, start-ups, business adoption of ICTs, "
               "e-commerce platforms, logistics and markets.",
    "C7-ELEARN": "E-learning. ICT in education, schools and universities, online courses and distance "
                 "learning, teachers and students, educational content and open educational resources, "
                 "connecting schools, digital classrooms.",
    "C7-EHEALTH": "E-health. Health care and health systems, telemedicine, health information systems, "
                  "medical records, patients, health workers and hospitals, disease surveillance and epidemics, "
                  "mobile health, public health and pandemic response.",
    "C7-EEMPLOY": "E-employment. Work and jobs, telework and remote work, labour markets, workers and "
                  "employment, the future of work, decent work, digital jobs and skills for employment, "
                  "gig economy.",
    "C7-EENV": "E-environment. Environmental protection and sustainable use of natural resources, climate "
               "change monitoring, mitigation and adaptation, e-waste and its recycling, energy efficiency and "
               "green ICT, emissions, disaster risk reduction, early warning systems and emergency "
               "telecommunications, environmental monitoring.",
    "C7-EAGRI": "E-agriculture. Farmers and agriculture, rural development, food security, agricultural "
                "information and market prices, extension services, fisheries, livestock, value chains, "
                "digital farming.",
    "C7-ESCI": "E-science. Scientific research and research networks, research and education networks, "
               "scientific data sharing, open access publishing, high-performance and grid computing, "
               "science, technology and innovation, universities and researchers.",
    "C8": "Cultural diversity and identity, linguistic diversity and local content. Multilingualism and local "
          "languages on the internet, internationalized domain names, indigenous peoples and traditional "
          "knowledge, cultural heritage, preservation and digitization of heritage, creation of local content, "
          "cultural industries and creative content.",
    "C9": "Media. Freedom of expression and freedom of the press, independent and pluralistic media, "
          "journalism and journalists, broadcasting, radio and television, community media, media literacy, "
          "traditional and new media, reliable information and disinformation, the role of media in the "
          "Information Society.",
    "C10": "Ethical dimensions of the Information Society. Human rights and fundamental freedoms, justice, "
           "dignity and values, ethics of ICTs and of artificial intelligence, the common good, preventing "
           "abusive uses of ICTs, racism, intolerance and exploitation, privacy and responsible use of "
           "technology.",
    "C11": "International and regional cooperation. International cooperation and financing for ICT for "
           "development, regional cooperation, cooperation among UN agencies, governments and stakeholders, "
           "the WSIS process, implementation and follow-up of WSIS outcomes, global partnerships, the "
           "development agenda and the Sustainable Development Goals.",
}

SDG_TEXTS: dict[int, str] = {
    1: "No poverty. End poverty in all its forms everywhere: extreme poverty, social protection, the poor and "
       "vulnerable, equal rights to economic resources, basic services, financial services including "
       "microfinance, resilience to shocks and disasters.",
    2: "Zero hunger. End hunger, food security and improved nutrition, sustainable agriculture, small-scale "
       "food producers and farmers, agricultural productivity, resilient agricultural practices, food prices "
       "and markets.",
    3: "Good health and well-being. Healthy lives, maternal and child mortality, epidemics and communicable "
       "diseases, non-communicable diseases, mental health, universal health coverage, essential health "
       "services, vaccines and medicines, health workforce, health risks.",
    4: "Quality education. Inclusive and equitable quality education, primary and secondary school, early "
       "childhood, technical and vocational training, university, skills for employment, youth and adult "
       "literacy, teachers, learning opportunities for all.",
    5: "Gender equality. Empower all women and girls, end discrimination and violence against women, "
       "participation and leadership of women, women's access to technology, enabling technology to promote "
       "the empowerment of women, the gender digital divide.",
    6: "Clean water and sanitation. Safe and affordable drinking water, sanitation and hygiene, water quality, "
       "water-use efficiency, water resources management, water-related ecosystems.",
    7: "Affordable and clean energy. Access to affordable, reliable and modern energy, renewable energy, energy "
       "efficiency, clean energy research and technology, energy infrastructure.",
    8: "Decent work and economic growth. Sustained economic growth, productivity through diversification, "
       "technological upgrading and innovation, jobs and decent work, entrepreneurship, small and medium "
       "enterprises, access to financial services, youth employment, labour rights, tourism.",
    9: "Industry, innovation and infrastructure. Resilient infrastructure, inclusive industrialization, "
       "innovation, scientific research and technological capabilities, access to ICTs and universal and "
       "affordable access to the internet in least developed countries, small enterprises and value chains.",
    10: "Reduced inequalities. Reduce inequality within and among countries, social, economic and political "
        "inclusion of all irrespective of age, sex, disability, race, ethnicity, origin or religion, equal "
        "opportunity, migration, developing countries' voice.",
    11: "Sustainable cities and communities. Inclusive, safe, resilient and sustainable cities and human "
        "settlements, housing, transport systems, urban planning, smart cities, cultural and natural "
        "heritage, disaster risk reduction, air quality and waste management.",
    12: "Responsible consumption and production. Sustainable consumption and production patterns, efficient "
        "use of natural resources, food waste, waste reduction, recycling and reuse, electronic waste, "
        "chemicals, sustainable practices of companies, sustainable public procurement.",
    13: "Climate action. Combat climate change and its impacts, resilience and adaptive capacity to "
        "climate-related hazards and natural disasters, climate change measures in policies and planning, "
        "education and awareness on mitigation, adaptation and early warning.",
    14: "Life below water. Oceans, seas and marine resources, marine pollution, coastal ecosystems, ocean "
        "acidification, sustainable fisheries, overfishing, small island developing states.",
    15: "Life on land. Terrestrial ecosystems, forests and sustainable forest management, desertification, "
        "land degradation, biodiversity and threatened species, mountain ecosystems, wildlife.",
    16: "Peace, justice and strong institutions. Peaceful and inclusive societies, reduce violence, end abuse "
        "and exploitation of children, rule of law and access to justice, corruption, effective, accountable "
        "and transparent institutions, participatory decision-making, legal identity, institutions that "
        "prevent violence and combat terrorism and crime, public access to "
        "information and fundamental freedoms.",
    17: "Partnerships for the goals. Global partnership for sustainable development, finance and development "
        "assistance, technology transfer and cooperation, capacity building, enhanced use of enabling "
        "technology and ICT, trade, policy coherence, multi-stakeholder partnerships, data, monitoring and "
        "statistics.",
}
