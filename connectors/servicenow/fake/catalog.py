"""Real-world reference data the fake metropolis is built from: towns, makers, models, servers.

Kept apart from the generator so the numbers (coordinates, watts, prices) can be reviewed
on their own. Values are realistic public figures, rounded; none is used as an emission factor.
"""

from __future__ import annotations

from typing import NamedTuple


class Town(NamedTuple):
    name: str
    latitude: float
    longitude: float
    population: int
    insee: str


# The 18 towns of Nantes Métropole, with their real coordinates and rough populations.
TOWNS: tuple[Town, ...] = (
    Town("Nantes", 47.2184, -1.5536, 320_000, "44109"),
    Town("Saint-Herblain", 47.2122, -1.6497, 48_000, "44162"),
    Town("Rezé", 47.1833, -1.5500, 43_000, "44143"),
    Town("Saint-Sébastien-sur-Loire", 47.2081, -1.5014, 28_000, "44190"),
    Town("Orvault", 47.2711, -1.6225, 27_000, "44114"),
    Town("Vertou", 47.1686, -1.4697, 25_000, "44215"),
    Town("Carquefou", 47.2975, -1.4914, 20_000, "44026"),
    Town("La Chapelle-sur-Erdre", 47.2997, -1.5517, 20_000, "44035"),
    Town("Bouguenais", 47.1778, -1.6236, 20_000, "44020"),
    Town("Couëron", 47.2156, -1.7228, 23_000, "44047"),
    Town("Sainte-Luce-sur-Loire", 47.2503, -1.4856, 16_000, "44172"),
    Town("Bouaye", 47.1436, -1.6928, 8_000, "44018"),
    Town("Basse-Goulaine", 47.2108, -1.4658, 9_000, "44009"),
    Town("Les Sorinières", 47.1475, -1.5289, 9_000, "44198"),
    Town("Thouaré-sur-Loire", 47.2675, -1.4414, 10_000, "44204"),
    Town("Sautron", 47.2639, -1.6700, 8_000, "44194"),
    Town("Indre", 47.1994, -1.6739, 4_000, "44074"),
    Town("Saint-Jean-de-Boiseau", 47.1936, -1.7247, 6_000, "44166"),
)

METROPOLIS = "Nantes Métropole"

# Manufacturers as real CMDBs hold them: one maker often appears under several names.
MANUFACTURERS: tuple[tuple[str, str], ...] = (
    ("Dell Inc.", "Round Rock"),
    ("HP Inc.", "Palo Alto"),
    ("Hewlett-Packard", "Palo Alto"),
    ("Hewlett Packard Enterprise", "Houston"),
    ("Lenovo", "Beijing"),
    ("Apple", "Cupertino"),
    ("Samsung", "Suwon"),
    ("Fairphone", "Amsterdam"),
    ("Brother", "Nagoya"),
    ("Ricoh", "Tokyo"),
    ("Canon", "Tokyo"),
    ("Xerox", "Norwalk"),
    ("Cisco Systems", "San Jose"),
    ("Aruba Networks", "Santa Clara"),
    ("NetApp", "San Jose"),
    ("Epson", "Suwa"),
    ("Yealink", "Xiamen"),
    ("Iiyama", "Tokyo"),
    ("Microsoft", "Redmond"),
)

# Service vendors for contracts (maintenance, leasing, telecom, managed services).
SERVICE_VENDORS: tuple[tuple[str, str], ...] = (
    ("Inetum", "Saint-Ouen"),
    ("Sopra Steria", "Paris"),
    ("Orange Business", "Paris"),
    ("Econocom", "Puteaux"),
    ("Bouygues Telecom Entreprises", "Meudon"),
)

# The kinds of device the fleet is drawn from (mix, lifetimes and configurations are per kind).
KINDS: tuple[str, ...] = (
    "Laptop",
    "Desktop",
    "Thin client",
    "Monitor",
    "Smartphone",
    "Tablet",
    "Printer",
    "Multifunction printer",
    "Rack server",
    "Blade server",
    "Tower server",
    "Network switch",
    "Router",
    "Wireless access point",
    "Storage array",
    "Projector",
    "IP phone",
)

# The model category each kind is filed under: the base system's own categories where the
# organisation kept them, as most do ("Computer" holds laptops and desktops alike, "Storage
# Device"), categories it added otherwise.
MODEL_CATEGORY: dict[str, str] = {
    **{kind: kind for kind in KINDS},
    "Laptop": "Computer",
    "Desktop": "Computer",
    "Storage array": "Storage Device",
}
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(MODEL_CATEGORY[kind] for kind in KINDS))

# CMDB class each category's configuration items belong to (cmdb_model_category.cmdb_ci_class).
CI_CLASS: dict[str, str] = {
    "Computer": "cmdb_ci_computer",
    "Thin client": "cmdb_ci_computer",
    "Monitor": "cmdb_ci_display_hardware",
    "Smartphone": "cmdb_ci_comm",
    "Tablet": "cmdb_ci_comm",
    "Printer": "cmdb_ci_printer",
    "Multifunction printer": "cmdb_ci_printer",
    "Rack server": "cmdb_ci_server",
    "Blade server": "cmdb_ci_server",
    "Tower server": "cmdb_ci_server",
    "Network switch": "cmdb_ci_ip_switch",
    "Router": "cmdb_ci_ip_router",
    "Wireless access point": "cmdb_ci_wap_network",
    "Storage Device": "cmdb_ci_storage_device",
    "Projector": "cmdb_ci_peripheral",
    "IP phone": "cmdb_ci_ip_phone",
}

# What the CMDB's form_factor says, as discovery tools and agents write it (free text, the
# chassis type of the machine); about one computer in eight has none.
FORM_FACTORS: dict[str, tuple[str, ...]] = {
    "Laptop": ("Laptop", "Laptop", "Notebook", "Portable", "Convertible"),
    "Desktop": ("Desktop", "Desktop", "Mini Tower", "Small Form Factor", "Space-saving"),
    "Thin client": ("Thin Client",),
}
FORM_FACTOR_MISSING = 0.12

# Share of the fleet per category, like a city's IT (relative weights).
FLEET_MIX: dict[str, float] = {
    "Laptop": 30.0,
    "Desktop": 20.0,
    "Monitor": 28.0,
    "Smartphone": 10.0,
    "Tablet": 3.0,
    "Printer": 1.5,
    "Multifunction printer": 1.5,
    "Thin client": 1.5,
    "Network switch": 1.5,
    "Router": 0.2,
    "Wireless access point": 1.3,
    "IP phone": 1.5,
    "Projector": 0.7,
    "Rack server": 1.0,
    "Blade server": 0.3,
    "Tower server": 0.2,
    "Storage array": 0.08,
}

# Expected service life in years, used only to decide which old assets are retired.
LIFETIME_YEARS: dict[str, float] = {
    "Laptop": 5,
    "Desktop": 6,
    "Thin client": 7,
    "Monitor": 7,
    "Smartphone": 3,
    "Tablet": 4,
    "Printer": 6,
    "Multifunction printer": 6,
    "Rack server": 6,
    "Blade server": 6,
    "Tower server": 6,
    "Network switch": 8,
    "Router": 8,
    "Wireless access point": 7,
    "Storage array": 6,
    "Projector": 7,
    "IP phone": 8,
}

SERVER_CATEGORIES = frozenset({"Rack server", "Blade server", "Tower server"})
COMPUTER_CATEGORIES = frozenset({"Laptop", "Desktop", "Thin client"})
# Gear kept in the data centre rather than in the towns' sites.
DATACENTRE_CATEGORIES = SERVER_CATEGORIES | {"Storage array", "Router"}


class Model(NamedTuple):
    category: str  # the kind of device (KINDS), filed under MODEL_CATEGORY[category]
    manufacturer: str
    name: str
    model_number: str
    power_w: str  # "" when the CMDB holds no power figure, as for about half the models
    weight_kg: str
    rack_units: str
    cost_eur: float
    share: float  # relative frequency within its category
    first_year: int  # first purchase year (models are sold for a few years only)


M = Model
# Names mix both CMDB styles: "Latitude 5440" under Dell, or "Dell Latitude 5440".
# fmt: off
MODELS: tuple[Model, ...] = (
    M("Laptop", "Dell Inc.", "Latitude 5440", "LAT5440", "65", "1.57", "", 1189.0, 5, 2023),
    M("Laptop", "Dell Inc.", "Dell Latitude 7420", "LAT7420", "", "1.25", "", 1549.0, 3, 2021),
    M("Laptop", "Dell Inc.", "Latitude 5490", "LAT5490", "", "1.68", "", 1029.0, 4, 2015),
    M("Laptop", "HP Inc.", "HP EliteBook 840 G9", "6F6H4EA", "45", "1.36", "", 1399.0, 4, 2022),
    M("Laptop", "HP Inc.", "ProBook 450 G8", "2X7X3EA", "", "1.74", "", 849.0, 5, 2020),
    M("Laptop", "Hewlett-Packard", "HP EliteBook 840 G3",
      "T9X59ET", "", "1.54", "", 1250.0, 3, 2015),
    M("Laptop", "Lenovo", "ThinkPad T14 Gen 3", "21AH", "65", "1.21", "", 1290.0, 4, 2022),
    M("Laptop", "Lenovo", "Lenovo ThinkPad E14 Gen 4", "21E3", "", "1.64", "", 799.0, 4, 2022),
    M("Laptop", "Lenovo", "ThinkPad T480", "20L5", "45", "1.58", "", 1150.0, 3, 2017),
    M("Laptop", "Apple", 'MacBook Air 13" M2', "MLY33FN/A", "30", "1.24", "", 1499.0, 1, 2022),
    M("Laptop", "Microsoft", "Surface Laptop 5", "R1A-00009", "", "1.27", "", 1399.0, 1, 2022),
    # Vostro names laptops and desktops alike: only the CI's form factor tells them apart.
    M("Laptop", "Dell Inc.", "Vostro 3520", "VOS3520", "", "1.66", "", 689.0, 3, 2022),
    M("Desktop", "Dell Inc.", "OptiPlex 7010", "OPT7010", "180", "5.20", "", 899.0, 5, 2019),
    M("Desktop", "Dell Inc.", "Dell OptiPlex 3060", "OPT3060", "", "5.30", "", 699.0, 4, 2015),
    M("Desktop", "HP Inc.", "HP ProDesk 400 G9", "6A770EA", "", "4.30", "", 749.0, 5, 2022),
    M("Desktop", "HP Inc.", "EliteDesk 800 G6", "1D2X2EA", "180", "5.40", "", 999.0, 4, 2020),
    M("Desktop", "Hewlett-Packard", "HP ProDesk 600 G2", "P1G55EA", "", "6.50", "", 780.0, 3, 2015),
    M("Desktop", "Lenovo", "ThinkCentre M70q Gen 3", "11T3", "65", "1.30", "", 689.0, 4, 2022),
    M("Desktop", "Lenovo", "Lenovo ThinkCentre M720s", "10ST", "", "5.00", "", 649.0, 3, 2018),
    M("Desktop", "Dell Inc.", "Vostro 3910", "VOS3910", "", "5.10", "", 649.0, 3, 2022),
    M("Thin client", "HP Inc.", "HP t640 Thin Client", "6TV46EA", "25", "1.20", "", 449.0, 3, 2019),
    M("Thin client", "Dell Inc.", "Wyse 5070", "WYSE5070", "", "1.20", "", 399.0, 3, 2018),
    M("Monitor", "Dell Inc.", "Dell P2422H", "P2422H", "16", "5.33", "", 219.0, 5, 2021),
    M("Monitor", "Dell Inc.", "P2722H", "P2722H", "", "6.51", "", 289.0, 3, 2021),
    M("Monitor", "Dell Inc.", "P2419H", "P2419H", "15", "5.29", "", 199.0, 4, 2018),
    M("Monitor", "HP Inc.", "HP E24 G5", "6N6E9AA", "", "5.50", "", 209.0, 4, 2022),
    M("Monitor", "Hewlett-Packard", "EliteDisplay E232", "M1N98AA", "", "4.90", "", 189.0, 3, 2015),
    M("Monitor", "Iiyama", "ProLite XUB2492HSU", "XUB2492HSU-B1", "15", "5.10", "", 159.0, 4, 2017),
    M("Monitor", "Samsung", "Samsung S24R650", "LS24R650FDUXEN", "", "4.60", "", 179.0, 3, 2019),
    M("Monitor", "Lenovo", "ThinkVision T24i-20", "61F7MAT2EU", "", "5.90", "", 199.0, 2, 2020),
    M("Smartphone", "Samsung", "Galaxy A54 5G", "SM-A546B", "", "0.20", "", 399.0, 5, 2023),
    M("Smartphone", "Samsung", "Samsung Galaxy A52", "SM-A525F", "", "0.19", "", 349.0, 4, 2021),
    M("Smartphone", "Samsung", "Galaxy Xcover 5", "SM-G525F", "", "0.17", "", 279.0, 2, 2021),
    M("Smartphone", "Apple", "iPhone 13", "MLPF3ZD/A", "", "0.17", "", 809.0, 3, 2021),
    M("Smartphone", "Apple", "Apple iPhone SE (3rd generation)",
      "MMXF3ZD/A", "", "0.14", "", 529.0, 3, 2022),
    M("Smartphone", "Fairphone", "Fairphone 4", "FP4", "", "0.23", "", 579.0, 2, 2021),
    M("Smartphone", "Apple", "iPhone 8", "MQ6G2ZD/A", "", "0.15", "", 689.0, 2, 2017),
    M("Tablet", "Apple", "iPad (10th generation)", "MPQ03NF/A", "", "0.48", "", 589.0, 3, 2022),
    M("Tablet", "Samsung", "Samsung Galaxy Tab A8", "SM-X200", "", "0.51", "", 229.0, 4, 2022),
    M("Tablet", "Lenovo", "Tab M10", "ZA6W", "", "0.42", "", 199.0, 3, 2020),
    M("Tablet", "Apple", "iPad (6th generation)", "MR7F2NF/A", "", "0.47", "", 369.0, 2, 2018),
    M("Printer", "HP Inc.", "HP LaserJet Pro M404dn", "W1A53A", "525", "9.50", "", 329.0, 4, 2019),
    M("Printer", "Brother", "HL-L5100DN", "HLL5100DNG1", "", "11.60", "", 249.0, 3, 2017),
    M("Printer", "Hewlett-Packard", "LaserJet Pro M402dn",
      "C5F94A", "", "8.70", "", 299.0, 2, 2015),
    M("Multifunction printer", "Ricoh", "IM C3000",
      "418295", "1600", "110.00", "", 5900.0, 3, 2019),
    M("Multifunction printer", "Canon", "imageRUNNER ADVANCE DX C5840i",
      "3826C005", "", "151.00", "", 8900.0, 2, 2020),
    M("Multifunction printer", "Xerox", "Xerox VersaLink C7025",
      "C7025V_S", "1500", "113.00", "", 6200.0, 2, 2018),
    M("Multifunction printer", "Ricoh", "MP C3004", "417963", "", "93.00", "", 5200.0, 2, 2015),
    M("Rack server", "Dell Inc.", "PowerEdge R650", "R650", "800", "21.90", "1", 9800.0, 4, 2021),
    M("Rack server", "Dell Inc.", "Dell PowerEdge R740",
      "R740", "750", "28.60", "2", 11500.0, 4, 2018),
    M("Rack server", "Hewlett Packard Enterprise", "HPE ProLiant DL380 Gen10",
      "868703-B21", "", "23.10", "2", 10900.0, 4, 2018),
    M("Rack server", "Hewlett Packard Enterprise", "ProLiant DL360 Gen10",
      "867959-B21", "500", "16.30", "1", 8700.0, 3, 2018),
    M("Rack server", "Lenovo", "ThinkSystem SR650", "7X06", "", "25.00", "2", 10200.0, 2, 2019),
    M("Rack server", "Hewlett-Packard", "ProLiant DL380 Gen9",
      "719064-B21", "", "23.00", "2", 9500.0, 2, 2015),
    M("Blade server", "Dell Inc.", "PowerEdge MX750c", "MX750C", "", "7.80", "", 12800.0, 3, 2021),
    M("Blade server", "Hewlett Packard Enterprise", "HPE Synergy 480 Gen10",
      "871942-B21", "350", "7.40", "", 11900.0, 3, 2018),
    M("Tower server", "Dell Inc.", "PowerEdge T350", "T350", "", "19.00", "", 3900.0, 3, 2021),
    M("Tower server", "Hewlett Packard Enterprise", "HPE ProLiant ML350 Gen10",
      "877621-421", "800", "28.00", "", 5600.0, 3, 2018),
    M("Network switch", "Cisco Systems", "Catalyst 9200L-48P",
      "C9200L-48P-4G-E", "", "5.30", "1", 4900.0, 4, 2019),
    M("Network switch", "Cisco Systems", "Cisco Catalyst 9300-48P",
      "C9300-48P-E", "350", "7.90", "1", 8900.0, 2, 2018),
    M("Network switch", "Aruba Networks", "Aruba 2930F 48G",
      "JL256A", "", "4.30", "1", 3100.0, 4, 2017),
    M("Network switch", "Cisco Systems", "Catalyst 2960X-48FPD-L",
      "WS-C2960X-48FPD-L", "", "5.60", "1", 3900.0, 2, 2015),
    M("Router", "Cisco Systems", "Cisco ISR 4331",
      "ISR4331/K9", "250", "6.80", "1", 3900.0, 3, 2017),
    M("Wireless access point", "Aruba Networks", "AP-515",
      "Q9H62A", "", "0.89", "", 690.0, 4, 2019),
    M("Wireless access point", "Cisco Systems", "Cisco Meraki MR46",
      "MR46-HW", "30", "1.20", "", 990.0, 3, 2020),
    M("Wireless access point", "Aruba Networks", "AP-305",
      "JX936A", "", "0.70", "", 520.0, 2, 2016),
    M("Storage array", "NetApp", "AFF A250", "AFF-A250", "650", "29.00", "2", 45000.0, 2, 2020),
    M("Storage array", "Dell Inc.", "Dell PowerStore 500T",
      "PS500T", "", "39.00", "2", 39000.0, 2, 2021),
    M("Storage array", "NetApp", "FAS2650", "FAS2650", "", "27.00", "2", 32000.0, 1, 2016),
    M("Projector", "Epson", "EB-W49", "V11H983040", "320", "2.70", "", 599.0, 4, 2019),
    M("Projector", "Epson", "Epson EB-992F", "V11H988040", "", "2.80", "", 799.0, 3, 2020),
    M("Projector", "Epson", "EB-X41", "V11H843040", "", "2.50", "", 449.0, 2, 2016),
    M("IP phone", "Cisco Systems", "Cisco IP Phone 8841",
      "CP-8841-K9", "", "1.20", "", 289.0, 4, 2016),
    M("IP phone", "Yealink", "T54W", "SIP-T54W", "5", "1.10", "", 189.0, 4, 2020),
)
# fmt: on

# Distinct server configurations: (model name, cpu count, cores per cpu, cpu type, RAM GB, disk GB).
SERVER_CONFIGS: tuple[tuple[str, int, int, str, int, int], ...] = (
    ("PowerEdge R650", 2, 28, "Intel Xeon Gold 6330", 256, 3840),
    ("PowerEdge R650", 2, 32, "Intel Xeon Gold 6338", 512, 7680),
    ("Dell PowerEdge R740", 2, 16, "Intel Xeon Gold 6226R", 384, 9600),
    ("Dell PowerEdge R740", 2, 12, "Intel Xeon Silver 4214", 192, 4800),
    ("HPE ProLiant DL380 Gen10", 2, 20, "Intel Xeon Gold 6248", 384, 7200),
    ("ProLiant DL360 Gen10", 2, 12, "Intel Xeon Silver 4214R", 128, 1920),
    ("ThinkSystem SR650", 2, 16, "Intel Xeon Gold 5218", 256, 4800),
    ("ProLiant DL380 Gen9", 2, 10, "Intel Xeon E5-2640 v4", 128, 2400),
    ("PowerEdge MX750c", 2, 32, "Intel Xeon Platinum 8358", 1024, 1920),
    ("HPE Synergy 480 Gen10", 2, 24, "Intel Xeon Gold 6252", 768, 960),
    ("PowerEdge T350", 1, 8, "Intel Xeon E-2388G", 64, 4000),
    ("HPE ProLiant ML350 Gen10", 1, 16, "Intel Xeon Silver 4216", 96, 6000),
)

SERVER_OS: tuple[str, ...] = (
    "VMware ESXi 7.0",
    "VMware ESXi 8.0",
    "Red Hat Enterprise Linux 8",
    "Windows Server 2019 Standard",
    "Windows Server 2022 Standard",
    "Ubuntu 22.04 LTS",
)

# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Marie", "Anne",
    "Sophie", "Nathalie", "Isabelle", "Claire", "Élodie", "Aurélie", "Céline", "Sandrine",
    "Valérie", "Laure", "Hélène", "Lucie", "Pauline", "Mathilde", "Océane", "Nicolas", "Thomas",
    "Julien", "Maxime", "Antoine", "Pierre", "Alexandre", "Romain", "Hugo", "Lucas", "Louis",
    "Théo", "Mathieu", "Sébastien", "Christophe", "Laurent", "Stéphane", "François", "Olivier",
    "Philippe", "Éric", "David", "Jérôme", "Yann", "Erwan", "Gwenaël", "Loïc", "Ronan", "Benoît",
    "Guillaume", "Vincent", "Karim", "Mehdi", "Yasmine", "Fatima",
)
# fmt: on

# fmt: off
LAST_NAMES: tuple[str, ...] = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Le Goff", "Le Gall", "Le Roux", "Guillou", "Tanguy", "Le Bihan", "Jaouen", "Le Floch",
    "Hervé", "Briand", "Rivière", "Charpentier", "Renaud", "Benoît", "Barbier", "Chevalier",
    "Brunet", "Meunier", "Caron", "Bouvier", "Gaillard", "Pasquier", "Drouet", "Hamon", "Cadiou",
    "Pichon", "Tessier", "Leblanc", "Boucher", "Colin", "Royer",
)
# fmt: on

# fmt: off
SCHOOL_NAMES: tuple[str, ...] = (
    "Jules Verne", "Jean Moulin", "Victor Hugo", "Jacques Prévert", "Marie Curie", "Louis Pasteur",
    "Jean Jaurès", "Paul Bert", "Aristide Briand", "Anne de Bretagne", "Condorcet", "Jean Zay",
    "Simone Veil", "Lucie Aubrac", "Le Baut", "Les Marsauderies", "La Bottière", "Émile Zola",
    "Paul Fort", "Joséphine Baker",
)
# fmt: on

# fmt: off
LIBRARY_NAMES: tuple[str, ...] = (
    "Jacques Demy", "Lisa Bresner", "Luce Courville", "Diderot", "Aimé Césaire", "Floresca Guépin",
    "Hermeland", "Paul Éluard", "des Sorinières", "Victor Jara",
)
# fmt: on

AREAS: tuple[tuple[str, str], ...] = (
    ("EDU", "Éducation"),
    ("CUL", "Culture"),
    ("ADM", "Administration générale"),
    ("TEC", "Services techniques"),
    ("NUM", "Numérique"),
)
