"""Write the bundled sample data: an IATI 2.03 activity file and a country-facts CSV.

A development script, not part of the installed portal: the package ships only what it writes
(portal/sample/sample-activities.xml and sample-country-facts.csv). Run `make sample-files`
(or `.venv/bin/python -m scripts.sample.generate` from the checkout) after changing this file
and commit both outputs; a test checks that the committed files are exactly what it writes.

Everything about the organisation is invented: its outcomes, figures, narratives and funding
partners. The country facts take region, income group, LDC status, GII, GDI and total
population from the real reference files in ../shared/data/countries (citing them); the
split of the population by sex is invented and says so in its source.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from lxml import etree

from portal.config import shared_data_folder
from portal.countries import facts, importer
from portal.sample.operations import ACTIVITIES_FILE, COUNTRY_FACTS_FILE, SAMPLE_DIR

PUBLISHER_REF = "XM-EXAMPLE-ORG"
PUBLISHER_TYPE = "40"
GENERATED_AT = "2025-01-31T00:00:00Z"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
INVENTED_SOURCE = "Sample data (invented)"


@dataclass(frozen=True)
class Text:
    """One text in the languages the sample publishes."""

    en: str
    fr: str
    es: str

    def get(self, lang: str) -> str:
        return getattr(self, lang)

    def format(self, **values_by_lang: dict[str, object]) -> Text:
        """Fill placeholders; each value is a {lang: value} mapping or a plain value."""

        def fill(lang: str) -> str:
            values = {
                name: value[lang] if isinstance(value, dict) else value
                for name, value in values_by_lang.items()
            }
            return self.get(lang).format(**values)

        return Text(fill("en"), fill("fr"), fill("es"))


@dataclass(frozen=True)
class SampleCountry:
    iso3: str
    iso2: str
    second_lang: str  # "fr" or "es": the sample publishes English plus this language
    name: dict[str, str]
    in_country: dict[str, str]  # "in Mali", "au Mali", "en Malí"
    region_code: str | None = None  # a regional activity: IATI region code (vocabulary 1)

    @property
    def langs(self) -> tuple[str, str]:
        return ("en", self.second_lang)


COUNTRIES = (
    SampleCountry(
        "MLI",
        "ML",
        "fr",
        {"en": "Mali", "fr": "Mali", "es": "Malí"},
        {"en": "in Mali", "fr": "au Mali", "es": "en Malí"},
    ),
    SampleCountry(
        "SEN",
        "SN",
        "fr",
        {"en": "Senegal", "fr": "Sénégal", "es": "Senegal"},
        {"en": "in Senegal", "fr": "au Sénégal", "es": "en el Senegal"},
    ),
    SampleCountry(
        "HTI",
        "HT",
        "fr",
        {"en": "Haiti", "fr": "Haïti", "es": "Haití"},
        {"en": "in Haiti", "fr": "en Haïti", "es": "en Haití"},
    ),
    SampleCountry(
        "ALB",
        "AL",
        "fr",
        {"en": "Albania", "fr": "Albanie", "es": "Albania"},
        {"en": "in Albania", "fr": "en Albanie", "es": "en Albania"},
    ),
    SampleCountry(
        "JOR",
        "JO",
        "fr",
        {"en": "Jordan", "fr": "Jordanie", "es": "Jordania"},
        {"en": "in Jordan", "fr": "en Jordanie", "es": "en Jordania"},
    ),
    SampleCountry(
        "BGD",
        "BD",
        "fr",
        {"en": "Bangladesh", "fr": "Bangladesh", "es": "Bangladesh"},
        {"en": "in Bangladesh", "fr": "au Bangladesh", "es": "en Bangladesh"},
    ),
    SampleCountry(
        "COL",
        "CO",
        "es",
        {"en": "Colombia", "fr": "Colombie", "es": "Colombia"},
        {"en": "in Colombia", "fr": "en Colombie", "es": "en Colombia"},
    ),
)
COUNTRY_BY_ISO3 = {country.iso3: country for country in COUNTRIES}
# One regional activity, for the region pages ("RAF" only names it in its identifier).
AFRICA_REGIONAL = SampleCountry(
    "RAF",
    "",
    "fr",
    {"en": "Africa, regional", "fr": "Afrique, régional", "es": "África, regional"},
    {"en": "across Africa", "fr": "en Afrique", "es": "en África"},
    region_code="298",
)

# Invented female share of the population per country (percent), for the sample split.
INVENTED_FEMALE_SHARE = {
    "MLI": Decimal("50.1"),
    "SEN": Decimal("50.6"),
    "HTI": Decimal("50.4"),
    "ALB": Decimal("49.8"),
    "JOR": Decimal("49.1"),
    "BGD": Decimal("50.3"),
    "COL": Decimal("50.9"),
}
# The deliberately inconsistent row: this country's male figure is 4 % too high.
INCONSISTENT_POPULATION_COUNTRY = "SEN"

STRATEGIC_PLAN_AREAS = {
    "D1": Text(
        "Governance and participation in public life",
        "Gouvernance et participation à la vie publique",
        "Gobernanza y participación en la vida pública",
    ),
    "D2": Text(
        "Women's economic empowerment",
        "Autonomisation économique des femmes",
        "Empoderamiento económico de las mujeres",
    ),
    "D3": Text(
        "Ending violence against women and girls",
        "Élimination de la violence à l'égard des femmes et des filles",
        "Eliminación de la violencia contra las mujeres y las niñas",
    ),
    "D4": Text(
        "Women, peace and security, humanitarian action and disaster risk reduction",
        "Femmes, paix et sécurité, action humanitaire et réduction des risques de catastrophe",
        "Mujeres, paz y seguridad, acción humanitaria y reducción del riesgo de desastres",
    ),
    "O1": Text(
        "Coordination and partnerships",
        "Coordination et partenariats",
        "Coordinación y alianzas",
    ),
    "O2": Text(
        "Knowledge, data and communication",
        "Connaissances, données et communication",
        "Conocimiento, datos y comunicación",
    ),
    "O3": Text(
        "Effective and efficient operations",
        "Opérations efficaces et efficientes",
        "Operaciones eficaces y eficientes",
    ),
}

SDG_GOALS = {
    "5": Text("Gender equality", "Égalité entre les sexes", "Igualdad de género"),
    "8": Text(
        "Decent work and economic growth",
        "Travail décent et croissance économique",
        "Trabajo decente y crecimiento económico",
    ),
    "13": Text(
        "Climate action",
        "Mesures relatives à la lutte contre les changements climatiques",
        "Acción por el clima",
    ),
    "16": Text(
        "Peace, justice and strong institutions",
        "Paix, justice et institutions efficaces",
        "Paz, justicia e instituciones sólidas",
    ),
    "17": Text(
        "Partnerships for the goals",
        "Partenariats pour la réalisation des objectifs",
        "Alianzas para lograr los objetivos",
    ),
}


@dataclass(frozen=True)
class FundingPartner:
    ref: str
    org_type: str
    name: str


# Invented funding partners; none stands for a real government or organisation.
FUNDING_PARTNERS = (
    FundingPartner("XM-EXAMPLE-DONOR-A", "90", "Example Donor Fund A"),
    FundingPartner("XM-EXAMPLE-DONOR-B", "90", "Example Donor Fund B"),
    FundingPartner("XM-EXAMPLE-FOUNDATION", "60", "Example Foundation for Equality (sample)"),
    FundingPartner("XM-EXAMPLE-MPTF", "40", "Example Multi-Partner Trust Fund (sample)"),
    FundingPartner("XM-EXAMPLE-PRIVATE", "70", "Example Private Sector Partner (sample)"),
)

PUBLISHER_NAME = Text(
    "Example Organisation (sample data)",
    "Organisation exemple (données fictives)",
    "Organización de ejemplo (datos ficticios)",
)


@dataclass(frozen=True)
class IndicatorTheme:
    title: Text
    measure: str  # IATI IndicatorMeasure: 1 unit, 2 percentage
    baseline: Decimal
    yearly_step: Decimal  # negative when a fall is progress (ascending="0")
    scales_with_country: bool = True
    has_values: bool = True

    @property
    def ascending(self) -> bool:
        return self.yearly_step >= 0


@dataclass(frozen=True)
class OutputTheme:
    title: Text
    description: Text
    indicators: tuple[IndicatorTheme, ...]


@dataclass(frozen=True)
class OutcomeTheme:
    """An outcome as the (invented) strategic plan words it; countries fill in their name."""

    area: str
    sdgs: tuple[str, ...]
    title: Text
    description: Text
    outputs: tuple[OutputTheme, ...]
    # The annual progress narratives, one per reported year; {figure} is the first
    # indicator's actual value that year, {year} the year.
    progress: tuple[Text, Text]
    budget_range: tuple[int, int] = (250_000, 900_000)


def _unit(
    title: Text, baseline: str, step: str, *, scales: bool = True, has_values: bool = True
) -> IndicatorTheme:
    return IndicatorTheme(title, "1", Decimal(baseline), Decimal(step), scales, has_values)


def _percent(title: Text, baseline: str, step: str) -> IndicatorTheme:
    return IndicatorTheme(title, "2", Decimal(baseline), Decimal(step), scales_with_country=False)


SAMPLE_NOTE = Text(
    "Sample data written for the Open Results Portal; not real results.",
    "Données fictives rédigées pour le portail ; ce ne sont pas des résultats réels.",
    "Datos ficticios escritos para el portal; no son resultados reales.",
)

THEMES: dict[str, OutcomeTheme] = {
    "D_1.1": OutcomeTheme(
        area="D1",
        sdgs=("5", "16"),
        title=Text(
            "Gender-responsive laws, policies and budgets are adopted and implemented {in_country}",
            "Des lois, politiques et budgets sensibles au genre sont adoptés et mis en œuvre "
            "{in_country}",
            "Se adoptan y aplican leyes, políticas y presupuestos con perspectiva de género "
            "{in_country}",
        ),
        description=Text(
            "The organisation supports ministries, parliament and civil society to review "
            "laws and to plan and track public spending on gender equality.",
            "L'organisation appuie les ministères, le parlement et la société civile pour "
            "réviser les lois et pour planifier et suivre les dépenses publiques en faveur de "
            "l'égalité des sexes.",
            "La organización apoya a los ministerios, el parlamento y la sociedad civil para "
            "revisar las leyes y planificar y seguir el gasto público en igualdad de género.",
        ),
        outputs=(
            OutputTheme(
                Text(
                    "Ministries have the skills and tools to plan and budget for gender equality",
                    "Les ministères disposent des compétences et des outils pour planifier et "
                    "budgétiser en faveur de l'égalité des sexes",
                    "Los ministerios cuentan con capacidades y herramientas para planificar y "
                    "presupuestar en favor de la igualdad de género",
                ),
                Text(
                    "Training and coaching of planning and budget units (related to SP_D_1.1 "
                    ": Gender-responsive budgeting)",
                    "Formation et accompagnement des services de planification et du budget "
                    "(related to SP_D_1.1 : Budgétisation sensible au genre)",
                    "Formación y acompañamiento de las unidades de planificación y "
                    "presupuesto (related to SP_D_1.1 : Presupuestos con perspectiva de "
                    "género)",
                ),
                (
                    _unit(
                        Text(
                            "Number of ministries that tag their budget for gender equality",
                            "Nombre de ministères qui marquent leur budget en faveur de "
                            "l'égalité des sexes",
                            "Número de ministerios que etiquetan su presupuesto para la "
                            "igualdad de género",
                        ),
                        "2",
                        "2",
                        scales=False,
                    ),
                    _percent(
                        Text(
                            "Share of the national budget tagged for gender equality (%)",
                            "Part du budget national marquée pour l'égalité des sexes (%)",
                            "Proporción del presupuesto nacional etiquetada para la igualdad "
                            "de género (%)",
                        ),
                        "3.5",
                        "1.0",
                    ),
                ),
            ),
            OutputTheme(
                Text(
                    "Discriminatory provisions in national laws are identified and reviewed",
                    "Les dispositions discriminatoires des lois nationales sont repérées et "
                    "révisées",
                    "Se identifican y revisan las disposiciones discriminatorias de las leyes "
                    "nacionales",
                ),
                Text(
                    "Legal reviews with the ministry of justice and women's rights groups.",
                    "Revues juridiques avec le ministère de la justice et les associations de "
                    "défense des droits des femmes.",
                    "Revisiones jurídicas con el ministerio de justicia y las organizaciones "
                    "de derechos de las mujeres.",
                ),
                (
                    _unit(
                        Text(
                            "Number of laws reviewed for discriminatory provisions",
                            "Nombre de lois révisées pour en retirer les dispositions "
                            "discriminatoires",
                            "Número de leyes revisadas para eliminar disposiciones "
                            "discriminatorias",
                        ),
                        "0",
                        "2",
                        scales=False,
                    ),
                ),
            ),
        ),
        progress=(
            Text(
                "In {year}, {figure} ministries tagged their budgets for gender equality, and "
                "a review of family and land laws was presented to parliament.",
                "En {year}, {figure} ministères ont marqué leur budget en faveur de l'égalité "
                "des sexes, et une revue des lois sur la famille et le foncier a été présentée "
                "au parlement.",
                "En {year}, {figure} ministerios etiquetaron su presupuesto para la igualdad de "
                "género y se presentó al parlamento una revisión de las leyes de familia y de "
                "tierras.",
            ),
            Text(
                "In {year}, gender budget tagging reached {figure} ministries; the finance "
                "ministry published its first citizens' report on spending for women and girls.",
                "En {year}, le marquage budgétaire a atteint {figure} ministères ; le ministère "
                "des finances a publié son premier rapport citoyen sur les dépenses en faveur "
                "des femmes et des filles.",
                "En {year}, el etiquetado presupuestario llegó a {figure} ministerios; el "
                "ministerio de finanzas publicó su primer informe ciudadano sobre el gasto "
                "dirigido a mujeres y niñas.",
            ),
        ),
    ),
    "D_1.2": OutcomeTheme(
        area="D1",
        sdgs=("5", "16"),
        title=Text(
            "Women participate and lead in political and public life {in_country}",
            "Les femmes participent à la vie politique et publique et y exercent des "
            "responsabilités {in_country}",
            "Las mujeres participan y ejercen liderazgo en la vida política y pública {in_country}",
        ),
        description=Text(
            "Support to women candidates, elected women and electoral bodies, with attention "
            "to young and rural women.",
            "Appui aux candidates, aux élues et aux organes électoraux, en particulier pour "
            "les jeunes femmes et les femmes rurales.",
            "Apoyo a candidatas, mujeres electas y órganos electorales, con atención a las "
            "mujeres jóvenes y rurales.",
        ),
        outputs=(
            OutputTheme(
                Text(
                    "Women candidates and elected women have stronger leadership skills",
                    "Les candidates et les élues ont renforcé leurs capacités de leadership",
                    "Las candidatas y las mujeres electas fortalecen su liderazgo",
                ),
                Text(
                    "Training and mentoring for women candidates (related to SP_D_1.2 : "
                    "Women's leadership and political participation)",
                    "Formation et mentorat des candidates (related to SP_D_1.2 : Leadership "
                    "et participation politique des femmes)",
                    "Formación y mentoría para candidatas (related to SP_D_1.2 : Liderazgo y "
                    "participación política de las mujeres)",
                ),
                (
                    _unit(
                        Text(
                            "Number of women candidates and elected women trained",
                            "Nombre de candidates et d'élues formées",
                            "Número de candidatas y mujeres electas capacitadas",
                        ),
                        "120",
                        "90",
                    ),
                ),
            ),
            OutputTheme(
                Text(
                    "Electoral bodies act against violence towards women in politics",
                    "Les organes électoraux agissent contre la violence à l'égard des femmes "
                    "en politique",
                    "Los órganos electorales actúan contra la violencia hacia las mujeres en "
                    "la política",
                ),
                Text(
                    "Codes of conduct, reporting channels and training for electoral staff.",
                    "Codes de conduite, mécanismes de signalement et formation du personnel "
                    "électoral.",
                    "Códigos de conducta, canales de denuncia y formación del personal electoral.",
                ),
                (
                    _unit(
                        Text(
                            "Number of electoral bodies with a plan against violence towards "
                            "women in politics",
                            "Nombre d'organes électoraux dotés d'un plan contre la violence à "
                            "l'égard des femmes en politique",
                            "Número de órganos electorales con un plan contra la violencia "
                            "hacia las mujeres en la política",
                        ),
                        "0",
                        "1",
                        scales=False,
                    ),
                ),
            ),
        ),
        progress=(
            Text(
                "In {year}, {figure} women candidates and elected women completed leadership "
                "training, and women's groups monitored the local elections.",
                "En {year}, {figure} candidates et élues ont suivi une formation au leadership, "
                "et des associations de femmes ont observé les élections locales.",
                "En {year}, {figure} candidatas y mujeres electas completaron una formación en "
                "liderazgo y las organizaciones de mujeres observaron las elecciones locales.",
            ),
            Text(
                "In {year}, {figure} women were trained; the electoral commission adopted a code "
                "of conduct against violence towards women in politics.",
                "En {year}, {figure} femmes ont été formées ; la commission électorale a adopté "
                "un code de conduite contre la violence à l'égard des femmes en politique.",
                "En {year}, se capacitó a {figure} mujeres; la comisión electoral adoptó un "
                "código de conducta contra la violencia hacia las mujeres en la política.",
            ),
        ),
    ),
    "D_2.1": OutcomeTheme(
        area="D2",
        sdgs=("5", "8"),
        title=Text(
            "Women have secure access to land, finance and productive resources {in_country}",
            "Les femmes ont un accès sûr à la terre, au financement et aux ressources "
            "productives {in_country}",
            "Las mujeres tienen acceso seguro a la tierra, la financiación y los recursos "
            "productivos {in_country}",
        ),
        description=Text(
            "Women's cooperatives, microfinance institutions and land offices work together so "
            "that women own and control productive assets.",
            "Les coopératives de femmes, les institutions de microfinance et les services "
            "fonciers travaillent ensemble pour que les femmes possèdent et contrôlent des "
            "biens productifs.",
            "Las cooperativas de mujeres, las instituciones de microfinanzas y las oficinas de "
            "tierras colaboran para que las mujeres posean y controlen activos productivos.",
        ),
        outputs=(
            OutputTheme(
                Text(
                    "Women's cooperatives have access to finance and markets",
                    "Les coopératives de femmes ont accès au financement et aux marchés",
                    "Las cooperativas de mujeres acceden a financiación y mercados",
                ),
                Text(
                    "Credit lines, business coaching and market fairs for women's cooperatives.",
                    "Lignes de crédit, accompagnement à la gestion et foires commerciales pour "
                    "les coopératives de femmes.",
                    "Líneas de crédito, asesoría empresarial y ferias comerciales para las "
                    "cooperativas de mujeres.",
                ),
                (
                    _unit(
                        Text(
                            "Number of women's cooperatives receiving finance",
                            "Nombre de coopératives de femmes ayant reçu un financement",
                            "Número de cooperativas de mujeres que reciben financiación",
                        ),
                        "35",
                        "25",
                    ),
                    _percent(
                        Text(
                            "Share of loans from partner microfinance institutions going to "
                            "women (%)",
                            "Part des prêts des institutions de microfinance partenaires "
                            "accordés à des femmes (%)",
                            "Proporción de préstamos de las instituciones de microfinanzas "
                            "asociadas otorgados a mujeres (%)",
                        ),
                        "28",
                        "4",
                    ),
                ),
            ),
            OutputTheme(
                Text(
                    "Women obtain certificates for the land they farm",
                    "Les femmes obtiennent des attestations pour les terres qu'elles cultivent",
                    "Las mujeres obtienen certificados de las tierras que cultivan",
                ),
                Text(
                    "Land offices register women's plots with village land committees.",
                    "Les services fonciers enregistrent les parcelles des femmes avec les "
                    "commissions foncières villageoises.",
                    "Las oficinas de tierras registran las parcelas de las mujeres con los "
                    "comités de tierras de las aldeas.",
                ),
                (
                    _unit(
                        Text(
                            "Number of women holding a land certificate",
                            "Nombre de femmes détentrices d'une attestation foncière",
                            "Número de mujeres con un certificado de tierras",
                        ),
                        "400",
                        "350",
                    ),
                ),
            ),
        ),
        progress=(
            Text(
                "In {year}, {figure} women's cooperatives received credit, and more women "
                "registered the land they farm.",
                "En {year}, {figure} coopératives de femmes ont obtenu un crédit, et davantage "
                "de femmes ont fait enregistrer les terres qu'elles cultivent.",
                "En {year}, {figure} cooperativas de mujeres obtuvieron crédito y más mujeres "
                "registraron las tierras que cultivan.",
            ),
            Text(
                "In {year}, {figure} cooperatives had access to finance; partner microfinance "
                "institutions increased the share of their loans going to women.",
                "En {year}, {figure} coopératives ont eu accès au financement ; les institutions "
                "de microfinance partenaires ont accru la part de leurs prêts accordés aux "
                "femmes.",
                "En {year}, {figure} cooperativas accedieron a financiación; las instituciones "
                "de microfinanzas asociadas aumentaron la proporción de préstamos a mujeres.",
            ),
        ),
        budget_range=(400_000, 1_200_000),
    ),
    "D_2.2": OutcomeTheme(
        area="D2",
        sdgs=("5", "8", "13"),
        title=Text(
            "Women farmers benefit from climate-resilient agriculture and decent work {in_country}",
            "Les agricultrices bénéficient d'une agriculture résiliente au climat et d'un "
            "travail décent {in_country}",
            "Las agricultoras se benefician de una agricultura resiliente al clima y de un "
            "trabajo decente {in_country}",
        ),
        description=Text(
            "Women farmers learn climate-resilient techniques and use shared equipment "
            "(related to SP_D_2.1 : Women's income security and decent work).",
            "Les agricultrices apprennent des techniques résilientes au climat et utilisent "
            "des équipements partagés (related to SP_D_2.1 : Sécurité du revenu et travail "
            "décent des femmes).",
            "Las agricultoras aprenden técnicas resilientes al clima y usan equipos "
            "compartidos (related to SP_D_2.1 : Seguridad de ingresos y trabajo decente de "
            "las mujeres).",
        ),
        outputs=(
            OutputTheme(
                Text(
                    "Women farmers use climate-resilient techniques",
                    "Les agricultrices utilisent des techniques résilientes au climat",
                    "Las agricultoras usan técnicas resilientes al clima",
                ),
                Text(
                    "Farmer field schools, drought-tolerant seeds and small irrigation.",
                    "Champs-écoles paysans, semences tolérantes à la sécheresse et petite "
                    "irrigation.",
                    "Escuelas de campo, semillas tolerantes a la sequía y pequeño riego.",
                ),
                (
                    _unit(
                        Text(
                            "Number of women farmers trained in climate-resilient techniques",
                            "Nombre d'agricultrices formées aux techniques résilientes au climat",
                            "Número de agricultoras capacitadas en técnicas resilientes al clima",
                        ),
                        "800",
                        "600",
                    ),
                    _unit(
                        Text(
                            "Number of multifunctional platforms managed by women's groups",
                            "Nombre de plateformes multifonctionnelles gérées par des "
                            "groupements de femmes",
                            "Número de plataformas multifuncionales gestionadas por grupos de "
                            "mujeres",
                        ),
                        "10",
                        "8",
                    ),
                ),
            ),
        ),
        progress=(
            Text(
                "In {year}, {figure} women farmers applied climate-resilient techniques and "
                "reported better harvests despite a late rainy season.",
                "En {year}, {figure} agricultrices ont appliqué des techniques résilientes au "
                "climat et signalé de meilleures récoltes malgré une saison des pluies tardive.",
                "En {year}, {figure} agricultoras aplicaron técnicas resilientes al clima e "
                "informaron de mejores cosechas pese a una temporada de lluvias tardía.",
            ),
            Text(
                "In {year}, {figure} women farmers were trained; women's groups ran new "
                "multifunctional platforms that cut the time spent milling grain.",
                "En {year}, {figure} agricultrices ont été formées ; des groupements de femmes "
                "ont géré de nouvelles plateformes multifonctionnelles qui réduisent le temps "
                "consacré à la mouture des céréales.",
                "En {year}, se capacitó a {figure} agricultoras; los grupos de mujeres "
                "gestionaron nuevas plataformas multifuncionales que reducen el tiempo dedicado "
                "a moler el grano.",
            ),
        ),
    ),
    "D_3.1": OutcomeTheme(
        area="D3",
        sdgs=("5", "16"),
        title=Text(
            "Communities reject violence against women and girls {in_country}",
            "Les communautés rejettent la violence à l'égard des femmes et des filles {in_country}",
            "Las comunidades rechazan la violencia contra las mujeres y las niñas {in_country}",
        ),
        description=Text(
            "Prevention work with community and religious leaders, schools and young people.",
            "Prévention avec les chefs communautaires et religieux, les écoles et les jeunes.",
            "Prevención con líderes comunitarios y religiosos, escuelas y jóvenes.",
        ),
        outputs=(
            OutputTheme(
                Text(
                    "Community leaders and young people lead prevention activities",
                    "Les chefs communautaires et les jeunes mènent des activités de prévention",
                    "Los líderes comunitarios y los jóvenes dirigen actividades de prevención",
                ),
                Text(
                    "Community dialogues and school clubs (related to SP_D_3.1 : Prevention "
                    "and social norms)",
                    "Dialogues communautaires et clubs scolaires (related to SP_D_3.1 : "
                    "Prévention et normes sociales)",
                    "Diálogos comunitarios y clubes escolares (related to SP_D_3.1 : "
                    "Prevención y normas sociales)",
                ),
                (
                    _unit(
                        Text(
                            "Number of communities with a prevention action plan",
                            "Nombre de communautés dotées d'un plan d'action de prévention",
                            "Número de comunidades con un plan de acción de prevención",
                        ),
                        "20",
                        "15",
                    ),
                    _percent(
                        Text(
                            "Share of people who think violence against a wife can be "
                            "justified (%)",
                            "Part des personnes qui estiment que la violence contre une épouse "
                            "peut se justifier (%)",
                            "Proporción de personas que consideran justificable la violencia "
                            "contra una esposa (%)",
                        ),
                        "45",
                        "-3",
                    ),
                ),
            ),
        ),
        progress=(
            Text(
                "In {year}, {figure} communities adopted a prevention action plan, led by "
                "village chiefs, religious leaders and youth clubs.",
                "En {year}, {figure} communautés ont adopté un plan d'action de prévention, "
                "porté par les chefs de village, les leaders religieux et les clubs de jeunes.",
                "En {year}, {figure} comunidades adoptaron un plan de acción de prevención, "
                "impulsado por jefes locales, líderes religiosos y clubes juveniles.",
            ),
            Text(
                "In {year}, prevention plans covered {figure} communities; a survey found fewer "
                "people who think violence against a wife can be justified.",
                "En {year}, les plans de prévention couvraient {figure} communautés ; une "
                "enquête a montré que moins de personnes jugent la violence contre une épouse "
                "justifiable.",
                "En {year}, los planes de prevención abarcaron {figure} comunidades; una "
                "encuesta mostró menos personas que justifican la violencia contra una esposa.",
            ),
        ),
    ),
    "D_3.2": OutcomeTheme(
        area="D3",
        sdgs=("5", "16"),
        title=Text(
            "Survivors of violence use quality essential services {in_country}",
            "Les survivantes de violences ont recours à des services essentiels de qualité "
            "{in_country}",
            "Las sobrevivientes de violencia utilizan servicios esenciales de calidad {in_country}",
        ),
        description=Text(
            "One-stop centres bring health, police, justice and social services together for "
            "survivors.",
            "Des centres intégrés réunissent les services de santé, de police, de justice et "
            "d'aide sociale pour les survivantes.",
            "Centros integrales reúnen servicios de salud, policía, justicia y asistencia "
            "social para las sobrevivientes.",
        ),
        outputs=(
            OutputTheme(
                Text(
                    "One-stop centres provide coordinated services to survivors",
                    "Les centres intégrés offrent des services coordonnés aux survivantes",
                    "Los centros integrales prestan servicios coordinados a las sobrevivientes",
                ),
                Text(
                    "Equipment, staff training and referral protocols for one-stop centres.",
                    "Équipement, formation du personnel et protocoles d'orientation pour les "
                    "centres intégrés.",
                    "Equipamiento, formación del personal y protocolos de derivación para los "
                    "centros integrales.",
                ),
                (
                    _unit(
                        Text(
                            "Number of survivors assisted by one-stop centres",
                            "Nombre de survivantes prises en charge par les centres intégrés",
                            "Número de sobrevivientes atendidas por los centros integrales",
                        ),
                        "1500",
                        "700",
                    ),
                ),
            ),
            OutputTheme(
                Text(
                    "Police and justice staff handle cases of violence against women",
                    "La police et la justice traitent les cas de violence à l'égard des femmes",
                    "La policía y la justicia tramitan los casos de violencia contra las mujeres",
                ),
                Text(
                    "Training of police officers, prosecutors and judges.",
                    "Formation des policiers, des procureurs et des juges.",
                    "Formación de policías, fiscales y jueces.",
                ),
                (
                    _unit(
                        Text(
                            "Number of police officers, prosecutors and judges trained",
                            "Nombre de policiers, procureurs et juges formés",
                            "Número de policías, fiscales y jueces capacitados",
                        ),
                        "60",
                        "80",
                    ),
                ),
            ),
        ),
        progress=(
            Text(
                "In {year}, one-stop centres assisted {figure} survivors of violence with "
                "medical care, legal advice and shelter.",
                "En {year}, les centres intégrés ont pris en charge {figure} survivantes de "
                "violences (soins médicaux, conseil juridique et hébergement).",
                "En {year}, los centros integrales atendieron a {figure} sobrevivientes de "
                "violencia con atención médica, asesoría jurídica y alojamiento.",
            ),
            Text(
                "In {year}, {figure} survivors used the centres; trained police units referred "
                "more cases to the courts.",
                "En {year}, {figure} survivantes ont eu recours aux centres ; les unités de "
                "police formées ont transmis davantage de dossiers à la justice.",
                "En {year}, {figure} sobrevivientes acudieron a los centros; las unidades de "
                "policía capacitadas remitieron más casos a los tribunales.",
            ),
        ),
    ),
    "D_4.1": OutcomeTheme(
        area="D4",
        sdgs=("5", "16"),
        title=Text(
            "Women and girls shape peace, security and humanitarian action {in_country}",
            "Les femmes et les filles influencent la paix, la sécurité et l'action "
            "humanitaire {in_country}",
            "Las mujeres y las niñas inciden en la paz, la seguridad y la acción humanitaria "
            "{in_country}",
        ),
        description=Text(
            "Women's organisations take part in peace processes and humanitarian "
            "coordination; women in crisis-affected areas receive livelihood support.",
            "Les organisations de femmes participent aux processus de paix et à la "
            "coordination humanitaire ; les femmes des zones touchées par la crise reçoivent "
            "un appui à leurs moyens de subsistance.",
            "Las organizaciones de mujeres participan en los procesos de paz y en la "
            "coordinación humanitaria; las mujeres de las zonas afectadas por crisis reciben "
            "apoyo a sus medios de vida.",
        ),
        outputs=(
            OutputTheme(
                Text(
                    "Women's organisations take part in peace and humanitarian coordination",
                    "Les organisations de femmes participent à la coordination de la paix et "
                    "de l'action humanitaire",
                    "Las organizaciones de mujeres participan en la coordinación de la paz y "
                    "la acción humanitaria",
                ),
                Text(
                    "Support to women mediators and to women's organisations in coordination "
                    "groups (related to SP_D_4.1 : Women, peace and security)",
                    "Appui aux médiatrices et aux organisations de femmes dans les groupes de "
                    "coordination (related to SP_D_4.1 : Femmes, paix et sécurité)",
                    "Apoyo a mediadoras y a organizaciones de mujeres en los grupos de "
                    "coordinación (related to SP_D_4.1 : Mujeres, paz y seguridad)",
                ),
                (
                    _unit(
                        Text(
                            "Number of women's organisations in coordination mechanisms",
                            "Nombre d'organisations de femmes membres des mécanismes de "
                            "coordination",
                            "Número de organizaciones de mujeres en los mecanismos de coordinación",
                        ),
                        "8",
                        "6",
                    ),
                    _percent(
                        Text(
                            "Share of humanitarian response plans with a gender analysis (%)",
                            "Part des plans de réponse humanitaire comportant une analyse de "
                            "genre (%)",
                            "Proporción de planes de respuesta humanitaria con análisis de "
                            "género (%)",
                        ),
                        "40",
                        "12",
                    ),
                ),
            ),
            OutputTheme(
                Text(
                    "Women in crisis-affected areas receive cash and livelihood support",
                    "Les femmes des zones touchées par la crise reçoivent des transferts "
                    "monétaires et un appui à leurs moyens de subsistance",
                    "Las mujeres de las zonas afectadas por crisis reciben transferencias "
                    "monetarias y apoyo a sus medios de vida",
                ),
                Text(
                    "Cash transfers, safe spaces and vocational training for displaced women.",
                    "Transferts monétaires, espaces sûrs et formation professionnelle pour les "
                    "femmes déplacées.",
                    "Transferencias monetarias, espacios seguros y formación profesional para "
                    "mujeres desplazadas.",
                ),
                (
                    _unit(
                        Text(
                            "Number of women receiving cash or livelihood support",
                            "Nombre de femmes ayant reçu des transferts monétaires ou un appui "
                            "aux moyens de subsistance",
                            "Número de mujeres que reciben transferencias o apoyo a medios de vida",
                        ),
                        "2000",
                        "1500",
                    ),
                ),
            ),
        ),
        progress=(
            Text(
                "In {year}, {figure} women's organisations sat in peace and humanitarian "
                "coordination bodies, and displaced women received cash transfers.",
                "En {year}, {figure} organisations de femmes ont siégé dans les instances de "
                "coordination de la paix et de l'action humanitaire, et des femmes déplacées "
                "ont reçu des transferts monétaires.",
                "En {year}, {figure} organizaciones de mujeres formaron parte de los órganos de "
                "coordinación de la paz y la acción humanitaria, y las mujeres desplazadas "
                "recibieron transferencias.",
            ),
            Text(
                "In {year}, {figure} women's organisations took part in coordination; women "
                "mediators helped settle local disputes over water and land.",
                "En {year}, {figure} organisations de femmes ont participé à la coordination ; "
                "des médiatrices ont aidé à régler des conflits locaux sur l'eau et la terre.",
                "En {year}, {figure} organizaciones de mujeres participaron en la coordinación; "
                "las mediadoras ayudaron a resolver conflictos locales por el agua y la tierra.",
            ),
        ),
        budget_range=(500_000, 1_500_000),
    ),
    "O_1.1": OutcomeTheme(
        area="O1",
        sdgs=("17", "5"),
        title=Text(
            "Coordination and partnerships for gender equality are strengthened {in_country}",
            "La coordination et les partenariats en faveur de l'égalité des sexes sont "
            "renforcés {in_country}",
            "Se fortalecen la coordinación y las alianzas en favor de la igualdad de género "
            "{in_country}",
        ),
        description=Text(
            "The organisation leads the gender working group of development partners and "
            "keeps a joint workplan.",
            "L'organisation anime le groupe de travail genre des partenaires au développement "
            "et tient un plan de travail commun.",
            "La organización dirige el grupo de trabajo de género de los socios para el "
            "desarrollo y mantiene un plan de trabajo conjunto.",
        ),
        outputs=(
            OutputTheme(
                Text(
                    "Partners share a joint workplan on gender equality",
                    "Les partenaires partagent un plan de travail commun sur l'égalité des sexes",
                    "Los socios comparten un plan de trabajo conjunto sobre igualdad de género",
                ),
                Text(
                    "Quarterly meetings and a shared results framework.",
                    "Réunions trimestrielles et cadre de résultats commun.",
                    "Reuniones trimestrales y un marco de resultados común.",
                ),
                (
                    _unit(
                        Text(
                            "Number of partners applying the joint gender workplan",
                            "Nombre de partenaires appliquant le plan de travail commun",
                            "Número de socios que aplican el plan de trabajo conjunto",
                        ),
                        "6",
                        "3",
                        scales=False,
                    ),
                ),
            ),
        ),
        progress=(
            Text(
                "In {year}, {figure} partners applied the joint workplan, which avoided "
                "duplicated training in the same districts.",
                "En {year}, {figure} partenaires ont appliqué le plan de travail commun, ce qui "
                "a évité des formations en double dans les mêmes districts.",
                "En {year}, {figure} socios aplicaron el plan de trabajo conjunto, lo que evitó "
                "formaciones duplicadas en los mismos distritos.",
            ),
            Text(
                "In {year}, the gender working group grew to {figure} partners and agreed on "
                "common indicators for its annual review.",
                "En {year}, le groupe de travail genre comptait {figure} partenaires et a "
                "adopté des indicateurs communs pour sa revue annuelle.",
                "En {year}, el grupo de trabajo de género llegó a {figure} socios y acordó "
                "indicadores comunes para su revisión anual.",
            ),
        ),
        budget_range=(80_000, 200_000),
    ),
    "O_2.1": OutcomeTheme(
        area="O2",
        sdgs=("5", "17"),
        title=Text(
            "Gender data and knowledge inform decisions {in_country}",
            "Les données et connaissances sur le genre éclairent les décisions {in_country}",
            "Los datos y conocimientos sobre género orientan las decisiones {in_country}",
        ),
        description=Text(
            "Support to the national statistics office to produce and publish data "
            "disaggregated by sex.",
            "Appui à l'institut national de la statistique pour produire et publier des "
            "données ventilées par sexe.",
            "Apoyo al instituto nacional de estadística para producir y publicar datos "
            "desglosados por sexo.",
        ),
        outputs=(
            OutputTheme(
                Text(
                    "The statistics office publishes data disaggregated by sex",
                    "L'institut de la statistique publie des données ventilées par sexe",
                    "El instituto de estadística publica datos desglosados por sexo",
                ),
                Text(
                    "Technical assistance for surveys and the national gender data portal.",
                    "Assistance technique pour les enquêtes et le portail national de données "
                    "sur le genre.",
                    "Asistencia técnica para encuestas y el portal nacional de datos de género.",
                ),
                (
                    _unit(
                        Text(
                            "Number of gender statistics published",
                            "Nombre de statistiques sur le genre publiées",
                            "Número de estadísticas de género publicadas",
                        ),
                        "12",
                        "8",
                        scales=False,
                    ),
                ),
            ),
            OutputTheme(
                Text(
                    "A study of women's unpaid care work is published",
                    "Une étude sur le travail de soins non rémunéré des femmes est publiée",
                    "Se publica un estudio sobre el trabajo de cuidados no remunerado de las "
                    "mujeres",
                ),
                Text(
                    "Time-use module added to the household survey.",
                    "Module sur l'emploi du temps ajouté à l'enquête auprès des ménages.",
                    "Módulo de uso del tiempo añadido a la encuesta de hogares.",
                ),
                (
                    _unit(
                        Text(
                            "Time-use study published",
                            "Étude sur l'emploi du temps publiée",
                            "Estudio de uso del tiempo publicado",
                        ),
                        "0",
                        "0",
                        scales=False,
                        has_values=False,  # the indicator without values the checks find
                    ),
                ),
            ),
        ),
        progress=(
            Text(
                "In {year}, the statistics office published {figure} gender statistics, "
                "including the first figures on women's land ownership.",
                "En {year}, l'institut de la statistique a publié {figure} statistiques sur le "
                "genre, dont les premiers chiffres sur la propriété foncière des femmes.",
                "En {year}, el instituto de estadística publicó {figure} estadísticas de género, "
                "entre ellas las primeras cifras sobre la propiedad de la tierra de las mujeres.",
            ),
            Text(
                "In {year}, {figure} gender statistics were available on the national data "
                "portal; the time-use survey was postponed to the following year.",
                "En {year}, {figure} statistiques sur le genre étaient disponibles sur le "
                "portail national ; l'enquête sur l'emploi du temps a été reportée à l'année "
                "suivante.",
                "En {year}, {figure} estadísticas de género estaban disponibles en el portal "
                "nacional; la encuesta de uso del tiempo se aplazó al año siguiente.",
            ),
        ),
        budget_range=(100_000, 300_000),
    ),
}

# Mali's outcomes in the previous plan period reuse three identifiers with older wording.
PREVIOUS_THEMES: dict[str, OutcomeTheme] = {
    "D_1.1": OutcomeTheme(
        area="D1",
        sdgs=("5", "16"),
        title=Text(
            "More women hold decision-making positions {in_country}",
            "Davantage de femmes occupent des postes de décision {in_country}",
            "Más mujeres ocupan puestos de decisión {in_country}",
        ),
        description=Text(
            "Application of the law on quotas for women in elected and appointed positions.",
            "Application de la loi sur les quotas de femmes dans les fonctions électives et "
            "nominatives.",
            "Aplicación de la ley de cuotas de mujeres en cargos electos y designados.",
        ),
        outputs=(THEMES["D_1.2"].outputs[0],),
        progress=(
            Text(
                "In {year}, {figure} women candidates were trained ahead of the legislative "
                "elections.",
                "En {year}, {figure} candidates ont été formées en vue des élections législatives.",
                "En {year}, se capacitó a {figure} candidatas antes de las elecciones "
                "legislativas.",
            ),
            Text(
                "In {year}, {figure} women were trained and the quota law was applied in "
                "appointments to regional councils.",
                "En {year}, {figure} femmes ont été formées et la loi sur les quotas a été "
                "appliquée dans les nominations aux conseils régionaux.",
                "En {year}, se capacitó a {figure} mujeres y se aplicó la ley de cuotas en los "
                "nombramientos de los consejos regionales.",
            ),
        ),
    ),
    "D_3.1": OutcomeTheme(
        area="D3",
        sdgs=("5",),
        title=Text(
            "Prevention of violence against women and girls is strengthened {in_country}",
            "La prévention de la violence à l'égard des femmes et des filles est renforcée "
            "{in_country}",
            "Se fortalece la prevención de la violencia contra las mujeres y las niñas "
            "{in_country}",
        ),
        description=Text(
            "Awareness campaigns and community dialogues on harmful practices.",
            "Campagnes de sensibilisation et dialogues communautaires sur les pratiques néfastes.",
            "Campañas de sensibilización y diálogos comunitarios sobre prácticas nocivas.",
        ),
        outputs=(THEMES["D_3.1"].outputs[0],),
        progress=(
            Text(
                "In {year}, {figure} communities held dialogues on harmful practices.",
                "En {year}, {figure} communautés ont tenu des dialogues sur les pratiques "
                "néfastes.",
                "En {year}, {figure} comunidades celebraron diálogos sobre prácticas nocivas.",
            ),
            Text(
                "In {year}, despite movement restrictions, {figure} communities kept their "
                "prevention plans running through radio programmes.",
                "En {year}, malgré les restrictions de déplacement, {figure} communautés ont "
                "poursuivi leurs plans de prévention grâce à des émissions de radio.",
                "En {year}, pese a las restricciones de movilidad, {figure} comunidades "
                "mantuvieron sus planes de prevención mediante programas de radio.",
            ),
        ),
    ),
    "O_1.1": OutcomeTheme(
        area="O1",
        sdgs=("17",),
        title=Text(
            "Coordination on gender equality is improved {in_country}",
            "La coordination en matière d'égalité des sexes est améliorée {in_country}",
            "Mejora la coordinación en materia de igualdad de género {in_country}",
        ),
        description=Text(
            "A gender working group of development partners is set up.",
            "Un groupe de travail genre des partenaires au développement est mis en place.",
            "Se crea un grupo de trabajo de género de los socios para el desarrollo.",
        ),
        outputs=(THEMES["O_1.1"].outputs[0],),
        progress=(
            Text(
                "In {year}, {figure} partners joined the new gender working group.",
                "En {year}, {figure} partenaires ont rejoint le nouveau groupe de travail genre.",
                "En {year}, {figure} socios se unieron al nuevo grupo de trabajo de género.",
            ),
            Text(
                "In {year}, {figure} partners met online every quarter and prepared the joint "
                "workplan for the next plan period.",
                "En {year}, {figure} partenaires se sont réunis en ligne chaque trimestre et ont "
                "préparé le plan de travail commun de la période suivante.",
                "En {year}, {figure} socios se reunieron en línea cada trimestre y prepararon "
                "el plan de trabajo conjunto del periodo siguiente.",
            ),
        ),
        budget_range=(60_000, 150_000),
    ),
}

LOREM_IPSUM = "Lorem ipsum dolor sit amet."


@dataclass(frozen=True)
class PlanPeriod:
    first_year: int
    last_year: int
    reported_years: tuple[int, ...]  # years with indicator periods
    narrative_years: tuple[int, int]  # years with a progress narrative
    spent_years: tuple[int, ...]  # years with expenditure
    status: str  # IATI ActivityStatus

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


CURRENT_PERIOD = PlanPeriod(2022, 2025, (2022, 2023, 2024), (2023, 2024), (2022, 2023, 2024), "2")
PREVIOUS_PERIOD = PlanPeriod(
    2018, 2021, (2019, 2020, 2021), (2020, 2021), (2018, 2019, 2020, 2021), "4"
)


@dataclass(frozen=True)
class SampleOutcome:
    country: SampleCountry
    code: str  # "D_1.1"
    theme: OutcomeTheme
    period: PlanPeriod
    placeholder_output: int | None = None  # index of the output whose description is lorem

    @property
    def identifier(self) -> str:
        return f"{PUBLISHER_REF}-{self.country.iso3}_{self.code}"


OUTCOME_CODES = {
    "MLI": ("D_1.1", "D_1.2", "D_2.1", "D_2.2", "D_3.1", "D_3.2", "D_4.1", "O_1.1", "O_2.1"),
    "SEN": ("D_1.2", "D_2.1", "D_3.1"),
    "HTI": ("D_2.2", "D_3.2", "D_4.1"),
    "ALB": ("D_1.1", "D_3.2"),
    "JOR": ("D_2.1", "D_4.1"),
    "BGD": ("D_2.2", "D_3.1", "D_4.1"),
    "COL": ("D_1.2", "D_3.1", "D_4.1", "O_1.1"),
}
PLACEHOLDER_IN = ("SEN", "D_2.1", 1)  # the one output description left as "Lorem ipsum"


def sample_outcomes() -> list[SampleOutcome]:
    outcomes = [
        SampleOutcome(COUNTRY_BY_ISO3["MLI"], code, PREVIOUS_THEMES[code], PREVIOUS_PERIOD)
        for code in PREVIOUS_THEMES
    ]
    for iso3, codes in OUTCOME_CODES.items():
        for code in codes:
            placeholder = PLACEHOLDER_IN[2] if (iso3, code) == PLACEHOLDER_IN[:2] else None
            outcomes.append(
                SampleOutcome(
                    COUNTRY_BY_ISO3[iso3], code, THEMES[code], CURRENT_PERIOD, placeholder
                )
            )
    outcomes.append(SampleOutcome(AFRICA_REGIONAL, "D_3.1", THEMES["D_3.1"], CURRENT_PERIOD))
    return outcomes


# --- Deterministic figures -----------------------------------------------------------------


def _fraction(*key: object) -> Decimal:
    """A number in [0, 1) fixed by the key: the same on every machine and Python version."""
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return Decimal(int.from_bytes(digest[:6], "big")) / Decimal(2**48)


def _between(low: int | Decimal, high: int | Decimal, *key: object) -> Decimal:
    return Decimal(low) + (Decimal(high) - Decimal(low)) * _fraction(*key)


def _round(value: Decimal, step: Decimal | int = 1) -> Decimal:
    step = Decimal(step)
    return (value / step).quantize(Decimal(1), ROUND_HALF_UP) * step


def _plain(value: Decimal) -> str:
    """A figure as IATI values are written: no grouping, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text


def _localised(value: Decimal, lang: str) -> str:
    """A figure for a narrative: 1,250 / 1 250 / 1250 (es groups from five digits)."""
    whole = value == value.to_integral_value()
    text = f"{value:,.0f}" if whole else f"{value:,.1f}"
    if lang == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    if lang == "es":
        if whole and abs(value) < 10_000:
            return text.replace(",", "")
        return text.replace(",", "\u00a0").replace(".", ",").replace("\u00a0", ".")
    return text


@dataclass
class IndicatorFigures:
    baseline: Decimal
    targets: dict[int, Decimal]
    actuals: dict[int, Decimal | None]


def indicator_figures(
    outcome: SampleOutcome, output_index: int, indicator_index: int, theme: IndicatorTheme
) -> IndicatorFigures:
    key = (outcome.identifier, outcome.period.first_year, output_index, indicator_index)
    scale = _between("0.6", "1.8", "scale", outcome.country.iso3, outcome.code)
    if not theme.scales_with_country or theme.measure == "2":
        scale = Decimal(1)
    quantum = Decimal("0.1") if theme.measure == "2" else Decimal(1)
    baseline = _round(theme.baseline * scale, quantum)
    targets: dict[int, Decimal] = {}
    actuals: dict[int, Decimal | None] = {}
    first_indicator = output_index == 0 and indicator_index == 0
    for step, year in enumerate(outcome.period.reported_years, start=1):
        target = _round(baseline + theme.yearly_step * scale * step, quantum)
        if theme.measure == "2":
            target = min(max(target, Decimal(0)), Decimal(100))
        targets[year] = target
        achievement = _between("0.78", "1.12", *key, year)
        actual = _round(target * achievement, quantum)
        if theme.measure == "2":
            actual = min(max(actual, Decimal(0)), Decimal(100))
        last_year = year == outcome.period.reported_years[-1]
        missing = last_year and not first_indicator and _fraction("missing", *key) < Decimal("0.4")
        actuals[year] = None if missing else actual
    return IndicatorFigures(baseline, targets, actuals)


# --- The IATI XML --------------------------------------------------------------------------


def _narratives(parent: etree._Element, text: Text, langs: Iterable[str]) -> etree._Element:
    for lang in langs:
        narrative = etree.SubElement(parent, "narrative")
        narrative.set(XML_LANG, lang)
        narrative.text = text.get(lang)
    return parent


def _dated(parent: etree._Element, tag: str, day: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    element.set("iso-date", day)
    return element


def _value(parent: etree._Element, amount: Decimal, value_date: str) -> None:
    value = etree.SubElement(parent, "value", {"currency": "USD", "value-date": value_date})
    value.text = _plain(amount)


BASELINE_COMMENT = Text(
    "Baseline from the programme review at the start of the plan period (sample data).",
    "Situation de référence tirée de la revue du programme en début de période (données fictives).",
    "Línea de base de la revisión del programa al inicio del periodo (datos ficticios).",
)
TARGET_COMMENT = Text(
    "Annual target agreed with the implementing partners.",
    "Cible annuelle convenue avec les partenaires de mise en œuvre.",
    "Meta anual acordada con los socios de ejecución.",
)
ACTUAL_COMMENT = Text(
    "Reported by the implementing partners in the annual review.",
    "Rapporté par les partenaires de mise en œuvre lors de la revue annuelle.",
    "Informado por los socios de ejecución en la revisión anual.",
)
ACTUAL_MISSING_COMMENT = Text(
    "Not yet reported: partners' data for the year is awaited.",
    "Pas encore rapporté : les données des partenaires pour l'année sont attendues.",
    "Aún sin informar: se esperan los datos de los socios para el año.",
)
PROGRESS_INDICATOR = Text(
    "Progress towards the outcome (annual narrative)",
    "Progrès vers l'effet (récit annuel)",
    "Avance hacia el efecto (relato anual)",
)


def _indicator(
    result: etree._Element,
    outcome: SampleOutcome,
    output_index: int,
    indicator_index: int,
    theme: IndicatorTheme,
) -> None:
    langs = outcome.country.langs
    attributes = {"measure": theme.measure, "ascending": "1" if theme.ascending else "0"}
    indicator = etree.SubElement(result, "indicator", attributes)
    _narratives(etree.SubElement(indicator, "title"), theme.title, langs)
    if not theme.has_values:
        return
    figures = indicator_figures(outcome, output_index, indicator_index, theme)
    baseline_year = outcome.period.first_year - 1
    baseline = etree.SubElement(
        indicator,
        "baseline",
        {
            "year": str(baseline_year),
            "iso-date": f"{baseline_year}-12-31",
            "value": _plain(figures.baseline),
        },
    )
    _narratives(etree.SubElement(baseline, "comment"), BASELINE_COMMENT, langs)
    for year in outcome.period.reported_years:
        period = etree.SubElement(indicator, "period")
        _dated(period, "period-start", f"{year}-01-01")
        _dated(period, "period-end", f"{year}-12-31")
        target = etree.SubElement(period, "target", {"value": _plain(figures.targets[year])})
        if indicator_index == 0:
            _narratives(etree.SubElement(target, "comment"), TARGET_COMMENT, langs)
        actual_value = figures.actuals[year]
        if actual_value is None:
            if year % 2:  # some missing actuals say why, others are simply absent
                actual = etree.SubElement(period, "actual")
                _narratives(etree.SubElement(actual, "comment"), ACTUAL_MISSING_COMMENT, langs)
            continue
        actual = etree.SubElement(period, "actual", {"value": _plain(actual_value)})
        _narratives(etree.SubElement(actual, "comment"), ACTUAL_COMMENT, langs)


def _progress_result(activity: etree._Element, outcome: SampleOutcome, title: Text) -> None:
    """The outcome-level result whose actual comments are the annual progress narratives."""
    langs = outcome.country.langs
    result = etree.SubElement(activity, "result", {"type": "2", "aggregation-status": "0"})
    _narratives(etree.SubElement(result, "title"), title, langs)
    indicator = etree.SubElement(result, "indicator", {"measure": "5"})
    _narratives(etree.SubElement(indicator, "title"), PROGRESS_INDICATOR, langs)
    first_theme = outcome.theme.outputs[0].indicators[0]
    figures = indicator_figures(outcome, 0, 0, first_theme)
    for template, year in zip(outcome.theme.progress, outcome.period.narrative_years, strict=True):
        figure = figures.actuals.get(year) or figures.targets.get(year) or figures.baseline
        text = template.format(
            year=year, figure={lang: _localised(figure, lang) for lang in ("en", "fr", "es")}
        )
        period = etree.SubElement(indicator, "period")
        _dated(period, "period-start", f"{year}-01-01")
        _dated(period, "period-end", f"{year}-12-31")
        actual = etree.SubElement(period, "actual")
        _narratives(etree.SubElement(actual, "comment"), text, langs)


def _funding_partners(outcome: SampleOutcome, index_in_country: int) -> list[FundingPartner]:
    """Two or three partners per outcome; consecutive outcomes rotate through all five."""
    count = 2 + int(_fraction("partners", outcome.identifier, outcome.period.first_year) * 2)
    start = index_in_country % len(FUNDING_PARTNERS)
    return [FUNDING_PARTNERS[(start + i) % len(FUNDING_PARTNERS)] for i in range(count)]


def _activity(outcome: SampleOutcome, index_in_country: int) -> etree._Element:
    country, theme, period = outcome.country, outcome.theme, outcome.period
    langs = country.langs
    in_country = country.in_country
    title = theme.title.format(in_country=in_country)
    activity = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": GENERATED_AT,
            "default-currency": "USD",
            "hierarchy": "1",
        },
    )
    activity.set(XML_LANG, "en")
    etree.SubElement(activity, "iati-identifier").text = outcome.identifier
    reporting_org = etree.SubElement(
        activity, "reporting-org", {"ref": PUBLISHER_REF, "type": PUBLISHER_TYPE}
    )
    _narratives(reporting_org, PUBLISHER_NAME, langs)
    _narratives(etree.SubElement(activity, "title"), title, langs)
    description = etree.SubElement(activity, "description", {"type": "1"})
    _narratives(description, theme.description, langs)
    note = etree.SubElement(activity, "description", {"type": "4"})
    _narratives(note, SAMPLE_NOTE, langs)

    partners = _funding_partners(outcome, index_in_country)
    for partner in partners:
        org = etree.SubElement(
            activity,
            "participating-org",
            {"ref": partner.ref, "type": partner.org_type, "role": "1"},
        )
        _narratives(org, Text(partner.name, partner.name, partner.name), ["en"])
    for role in ("2", "4"):
        org = etree.SubElement(
            activity,
            "participating-org",
            {"ref": PUBLISHER_REF, "type": PUBLISHER_TYPE, "role": role},
        )
        _narratives(org, PUBLISHER_NAME, langs)
    etree.SubElement(activity, "activity-status", {"code": period.status})
    _dated(activity, "activity-date", f"{period.first_year}-01-01", type="1")
    _dated(activity, "activity-date", f"{period.first_year}-01-01", type="2")
    _dated(activity, "activity-date", f"{period.last_year}-12-31", type="3")
    if period.status == "4":
        _dated(activity, "activity-date", f"{period.last_year}-12-31", type="4")
    etree.SubElement(activity, "activity-scope", {"code": "4"})
    if country.region_code:
        recipient = etree.SubElement(
            activity,
            "recipient-region",
            {"code": country.region_code, "vocabulary": "1", "percentage": "100"},
        )
    else:
        recipient = etree.SubElement(
            activity, "recipient-country", {"code": country.iso2, "percentage": "100"}
        )
    _narratives(recipient, Text(**country.name), langs)

    area = etree.SubElement(
        activity, "sector", {"vocabulary": "99", "code": theme.area, "percentage": "100"}
    )
    _narratives(area, STRATEGIC_PLAN_AREAS[theme.area], langs)
    shares = _sdg_percentages(len(theme.sdgs))
    for goal, share in zip(theme.sdgs, shares, strict=True):
        sdg = etree.SubElement(
            activity, "sector", {"vocabulary": "7", "code": goal, "percentage": share}
        )
        _narratives(sdg, SDG_GOALS[goal], langs)

    low, high = theme.budget_range
    yearly_budget = {
        year: _round(_between(low, high, "budget", outcome.identifier, year), 100)
        for year in period.years
    }
    for year, amount in yearly_budget.items():
        budget = etree.SubElement(activity, "budget", {"type": "1", "status": "2"})
        _dated(budget, "period-start", f"{year}-01-01")
        _dated(budget, "period-end", f"{year}-12-31")
        _value(budget, amount, f"{year}-01-01")

    for year in period.spent_years:
        funded = yearly_budget[year] * _between("0.85", "1.0", "funded", outcome.identifier, year)
        weights = [_between(1, 3, "weight", outcome.identifier, year, p.ref) for p in partners]
        for partner, weight in zip(partners, weights, strict=True):
            amount = _round(funded * weight / sum(weights), 100)
            transaction = etree.SubElement(activity, "transaction")
            etree.SubElement(transaction, "transaction-type", {"code": "1"})
            _dated(transaction, "transaction-date", f"{year}-03-15")
            _value(transaction, amount, f"{year}-03-15")
            provider = etree.SubElement(
                transaction, "provider-org", {"ref": partner.ref, "type": partner.org_type}
            )
            _narratives(provider, Text(partner.name, partner.name, partner.name), ["en"])
        spent = yearly_budget[year] * _between("0.7", "0.97", "spent", outcome.identifier, year)
        first_half = _round(spent * _between("0.35", "0.5", "half", outcome.identifier, year), 100)
        for day, amount in (
            (f"{year}-06-30", first_half),
            (f"{year}-12-31", _round(spent - first_half, 100)),
        ):
            transaction = etree.SubElement(activity, "transaction")
            etree.SubElement(transaction, "transaction-type", {"code": "4"})
            _dated(transaction, "transaction-date", day)
            _value(transaction, amount, day)

    for output_index, output in enumerate(theme.outputs):
        result = etree.SubElement(activity, "result", {"type": "1", "aggregation-status": "0"})
        _narratives(etree.SubElement(result, "title"), output.title, langs)
        output_description = output.description
        if outcome.placeholder_output == output_index:
            output_description = Text(LOREM_IPSUM, LOREM_IPSUM, LOREM_IPSUM)
        _narratives(etree.SubElement(result, "description"), output_description, langs)
        for indicator_index, indicator in enumerate(output.indicators):
            _indicator(result, outcome, output_index, indicator_index, indicator)
    _progress_result(activity, outcome, title)
    return activity


def _sdg_percentages(count: int) -> list[str]:
    """Equal shares adding up to exactly 100 (33.34 + 33.33 + 33.33)."""
    base = (Decimal(100) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    shares = [base] * count
    shares[0] += Decimal(100) - base * count
    return [_plain(share) for share in shares]


def activities_xml() -> bytes:
    """The sample IATI activity file."""
    root = etree.Element("iati-activities", {"version": "2.03", "generated-datetime": GENERATED_AT})
    root.append(
        etree.Comment(
            " SAMPLE DATA written for the Open Results Portal by scripts/sample/generate.py. "
            "The publisher, its outcomes, figures, narratives and funding partners are "
            "invented; they are not any organisation's real data. "
        )
    )
    index_by_country: dict[str, int] = {}
    for outcome in sample_outcomes():
        index = index_by_country.get(outcome.country.iso3, 0)
        index_by_country[outcome.country.iso3] = index + 1
        root.append(_activity(outcome, index))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- The country facts CSV -----------------------------------------------------------------

FACT_COLUMNS = ("iso3", "year", "indicator", "value", "source", "as_of")
HDR_YEARS = (2021, 2022)


@dataclass
class _FactRows:
    rows: list[tuple[str, ...]] = field(default_factory=list)

    def add(self, iso3: str, year: int, indicator: str, value: str, source: str, as_of) -> None:
        assert indicator in facts.INDICATORS, indicator
        self.rows.append(
            (iso3, str(year), indicator, value, source, as_of.isoformat() if as_of else "")
        )


def _read_csv(path: Path, key: str) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return {row[key]: row for row in csv.DictReader(stream)}


def country_facts_csv(shared_data: Path) -> bytes:
    """The sample country facts: real reference figures where the shared files have them."""
    countries_dir = shared_data / "countries"
    m49 = _read_csv(countries_dir / "unsd_m49_countries.csv", "iso_alpha3")
    income = _read_csv(countries_dir / "full_country_list_with_stats.csv", "iso_alpha3_code")
    hdr = _read_csv(countries_dir / "HDR23-24_Composite_indices_complete_time_series.csv", "iso3")
    out = _FactRows()
    for country in COUNTRIES:
        iso3 = country.iso3
        area = next(
            facts.m49_area_code(m49[iso3][column])
            for column in ("intermediate_region_code", "sub_region_code", "region_code")
            if m49[iso3][column]
        )
        m49_source = (importer.UNSD_M49_SOURCE, importer.UNSD_M49_AS_OF)
        out.add(iso3, importer.UNSD_M49_YEAR, facts.REGION, area, *m49_source)
        ldc = "1" if facts.flag_value(m49[iso3]["is_ldc"]) else "0"
        out.add(iso3, importer.UNSD_M49_YEAR, facts.LDC, ldc, *m49_source)
        income_code = facts.income_group_code(income[iso3]["world_bank_income_group"])
        out.add(
            iso3,
            importer.WORLD_BANK_YEAR,
            facts.INCOME_GROUP,
            income_code,
            importer.WORLD_BANK_SOURCE,
            importer.WORLD_BANK_AS_OF,
        )
        for year in HDR_YEARS:
            for column, indicator in (("gii", facts.GII), ("gdi", facts.GDI)):
                published = hdr[iso3][f"{column}_{year}"]
                if published:
                    out.add(
                        iso3, year, indicator, published, importer.HDR_SOURCE, importer.HDR_AS_OF
                    )
            millions = Decimal(hdr[iso3][f"pop_total_{year}"])
            total = _round(millions * 1_000_000)
            out.add(
                iso3,
                year,
                facts.POPULATION_TOTAL,
                _plain(total),
                importer.HDR_SOURCE,
                importer.HDR_AS_OF,
            )
        year = HDR_YEARS[-1]
        female = _round(total * INVENTED_FEMALE_SHARE[iso3] / 100)
        male = total - female
        if iso3 == INCONSISTENT_POPULATION_COUNTRY:
            male = _round(male * Decimal("1.04"))
        out.add(iso3, year, facts.POPULATION_FEMALE, _plain(female), INVENTED_SOURCE, None)
        out.add(iso3, year, facts.POPULATION_MALE, _plain(male), INVENTED_SOURCE, None)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FACT_COLUMNS)
    writer.writerows(out.rows)
    return buffer.getvalue().encode("utf-8")


def write_sample(output_dir: Path, shared_data: Path) -> list[Path]:
    """Write both sample files into `output_dir`; returns their paths."""
    written = []
    for name, content in (
        (ACTIVITIES_FILE, activities_xml()),
        (COUNTRY_FACTS_FILE, country_facts_csv(shared_data)),
    ):
        path = output_dir / name
        path.write_bytes(content)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=SAMPLE_DIR)
    parser.add_argument(
        "--shared-data",
        type=Path,
        default=shared_data_folder(),
        help="the shared data folder with countries/ (default: PORTAL_SHARED_DATA or "
        "../shared/data)",
    )
    arguments = parser.parse_args(argv)
    for path in write_sample(arguments.output_dir, arguments.shared_data):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
