# Les mots des rapports de Homeward, en français. Mêmes identifiants que
# locales/en/homeward.ftl ; les nombres, pourcentages et dates sont mis en
# forme par les filtres (CLDR), pas ici. Vocabulaire : docs/glossary.md.

## Toutes les pages

homeward = Homeward

## Périodes

period-quarter = T{ $quarter } { $year }
period-to-date = Depuis le début
period-project-life = Durée du projet
period-previous = période précédente

## Décomptes avec règles de pluriel ($count : le nombre ; $shown : le
## nombre tel que la page l'écrit). En français, 0 et 1 sont au singulier.

returnees-count = { $count ->
    [one] { $shown } rapatrié
   *[other] { $shown } rapatriés
}
runs-count = { $count ->
    [one] { $shown } exécution
   *[other] { $shown } exécutions
}
days-count = { $count ->
    [one] { $shown } jour
   *[other] { $shown } jours
}

## Le rapport de programme

programme-page-title = Rapport de programme { $project }
programme-meta-period = Rapport de programme, { $period } (du { $start } au { $end })
meta-as-of = Situation au { $date }
meta-data-to-drop = Données jusqu’au dépôt { $drop }
meta-none-pulled = aucun dépôt importé
meta-run = Exécution
nav-projects = Projets
nav-languages = Langues
all-projects = Tous les projets

headlines = Chiffres clés, { $period }
headlines-note = Chaque variation est calculée par rapport à la période { $previous }, de même durée. Chaque personne est comptée une fois par période.
tile-no-comparison = pas de comparaison
tile-points-vs = { $change } points par rapport à { $previous } ({ $value })
tile-change-vs = { $change } par rapport à { $previous } ({ $value })
tile-change-ratio-vs = { $change } ({ $ratio }) par rapport à { $previous } ({ $value })
tile-quarter-so-far = { $quarter } à ce jour : { $value }

trends-heading = Tendances sur les 12 derniers mois

funnel-heading = Parcours des dossiers
funnel-stage = Étape
funnel-cases = Dossiers de rapatriés
funnel-shown-apart = (comptés à part)
funnel-none = Aucun dossier de rapatrié.
funnel-note = Statut actuel de chaque dossier de rapatrié au { $date }. Chaque étape compte les dossiers qui l’ont au moins atteinte ; les dossiers abandonnés ou clôturés sont comptés à part.

who-heading = Personnes assistées, { $period }

rss-heading = Enquête sur la durabilité de la réintégration
rss-dimension = Dimension
rss-mean-period = Score moyen, { $period }
rss-surveys = Enquêtes
rss-mean-to-date = Score moyen, depuis le début
rss-sustainable = Réintégration durable : { $rate } des { $surveyed } interrogés en { $period }.
rss-no-surveys = Aucune enquête notée pour cette période.

business-heading = Résultats des entreprises, { $period }
business-operating = Taux d’activité des entreprises suivies pendant la période : { $rate }.

targets-heading = Progrès par rapport aux cibles
targets-project = Projet
targets-indicator = Indicateur
targets-period = Période de la cible
targets-breakdown = Ventilation
targets-baseline = Valeur de référence
targets-target = Cible
targets-actual = Réalisé
targets-achieved = Atteint
targets-none = Aucune cible pour cette période ni pour la durée du projet.

quality-heading = Qualité des données
quality-since-last = Depuis le dernier rapport ({ $runs }) : { $pulled } fichiers importés, { $rejected } rejetés ; { $loaded } lignes chargées, { $quarantined } mises en quarantaine.
quality-reasons = Principaux motifs de quarantaine :
quality-orphans = Enregistrements orphelins :
quality-tests = Tests de données en avertissement ou en échec :
quality-test-rows = { $status }, { $rows } lignes
quality-none = aucun
quality-not-checked = non vérifié
quality-newest-drop = Dernier dépôt : { $drop }
quality-drop-age = { $days } avant la date de situation

programme-footer = rapport de programme · indicateurs de l’exécution { $run } · voir run.html pour le détail de l’exécution

## Tableaux

table-total = Total
table-no-records = Aucun enregistrement pour cette période.

## Ventilations et dimensions

breakdown-total = Total
breakdown-sex = Sexe
breakdown-age_group = Tranche d’âge
breakdown-country_of_origin = Pays d’origine
breakdown-host_country = Pays d’accueil
breakdown-vulnerability = Vulnérabilité
breakdown-model = Modèle d’entreprise
breakdown-sector = Secteur
breakdown-assistance_type = Type d’assistance
breakdown-dimension = Dimension
dimension-economic = Économique
dimension-social = Sociale
dimension-psychosocial = Psychosociale
dimension-overall = Globale
breakdown-channel = Canal
dimension-reception = Accueil
dimension-structural = Structurelle
channel-direct = Fournie par le programme
channel-referral = Orientée vers un partenaire

## Graphiques et tableaux du rapport de programme (programme/page.toml)

trend-chart-title = { $title } par mois
trend-x-axis = Mois
axis-returnees = Rapatriés (personnes)
axis-businesses = Entreprises
funnel-chart-title = Parcours des dossiers au { $as_of }
funnel-x-axis = Dossiers de rapatriés (personnes)
sex-age-title = Rapatriés assistés par sexe et tranche d’âge
table-by-country-of-origin = Par pays d’origine
table-by-host-country = Par pays d’accueil
table-by-vulnerability = Par vulnérabilité
table-vulnerability-note = Une personne présentant plusieurs vulnérabilités est comptée sous chacune d’elles : ce tableau ne s’additionne donc pas au total.
histogram-title = Scores globaux de réintégration, { $period }
histogram-x-axis = Score global (0 = le plus faible, 1 = le meilleur)
histogram-y-axis = Rapatriés interrogés
histogram-threshold = Seuil de durabilité ({ $threshold })
table-businesses-by-model = Entreprises par modèle
table-businesses-by-sector = Entreprises par secteur
assistance-heading = Assistance fournie, { $period }
table-assistance-by-dimension = Par dimension de la réintégration
table-assistance-by-type = Par type d’assistance
table-assistance-by-channel = Par canal
targets-chart-title = Progrès par rapport aux cibles
targets-x-axis = Part de la cible atteinte (%)
targets-line = Cible (100 %)

## Étapes du parcours (colonne `stage` de rpt_funnel)

funnel-stage-registered = Enregistré
funnel-stage-returned = Rentré
funnel-stage-reintegration_in_progress = Réintégration en cours
funnel-stage-reintegration_completed = Réintégration achevée
funnel-stage-withdrawn = Désisté
funnel-stage-closed = Clôturé

## Listes de codes : sexes et vulnérabilités (les noms de pays viennent
## du CLDR)

sex-F = Femme
sex-M = Homme
sex-X = Autre
sex-U = Inconnu
vulnerability-VOT = Victime de la traite
vulnerability-UMC = Enfant migrant non accompagné ou séparé
vulnerability-MED = Besoins liés à la santé
vulnerability-DIS = Personne en situation de handicap
vulnerability-ELD = Personne âgée
vulnerability-SGBV = Survivant·e de violences sexuelles ou basées sur le genre
vulnerability-none = Aucune vulnérabilité

## Types d’assistance (codes de sql/seeds/assistance_types.csv)
assistance-reception_cash = Accueil : espèces pour les besoins immédiats (argent de poche)
assistance-temporary_accommodation = Accueil : hébergement temporaire
assistance-food_nutrition = Accueil : alimentation et nutrition
assistance-business_setup = Appui à la création d’une microentreprise
assistance-job_placement = Placement professionnel ou subvention salariale
assistance-vocational_training = Formation professionnelle ou technique (EFTP)
assistance-education = Appui à la scolarité et à l’éducation
assistance-medical = Assistance médicale et sanitaire
assistance-housing = Aide au logement
assistance-legal_documentation = Aide juridique et documents d’état civil
assistance-psychosocial_counselling = Accompagnement psychosocial
assistance-family_mediation = Médiation familiale et communautaire
assistance-community_project = Projet communautaire de réintégration
assistance-capacity_building = Formation des partenaires et autorités locaux

## Le dossier d’indicateurs du bailleur (donor/pack.html, pack.typ, pack.toml)

pack-page-title = Dossier d’indicateurs { $pack } { $period }
pack-title = Dossier d’indicateurs
pack-heading = Dossier d’indicateurs : { $donor }, { $period }
pack-meta-period = Période du { $start } au { $end }
pack-contents = Sommaire
pack-projects = Projets
pack-logframe = Cadre logique
pack-sdg = Alignement sur les ODD
pack-disaggregation = Ventilation
pack-disaggregation-period = Ventilation, { $period }
pack-definitions = Définitions
pack-methodology = Méthodologie
pack-cover = Bailleur : { $donor }. Dossier { $pack }, période { $period }.
pack-not-in-reference = (absent des données de référence des projets)
field-code = Code
field-type = Type
field-donor = Bailleur
field-budget = Budget
field-dates = Dates
field-coverage = Couverture
field-region = Région
field-countries = Pays bénéficiaires
field-sdg-goals = ODD
amount-usd = { $amount } USD
pack-actual-period = Réalisé, { $period }
pack-actual-to-date = Réalisé depuis le début
pack-no-targets = Aucune cible pour ces projets et cette période.
pack-achieved-note = Atteint : le réalisé publié de la période propre à la cible (depuis le début pour la durée du projet), rapporté à la cible.
pack-sdg-goal = Objectif de développement durable
pack-goal = Objectif { $goal }
pack-reached = Rapatriés atteints, { $period }
pack-no-sdg = Aucun ODD enregistré pour ces projets.
pack-unit = Unité : { $unit }.
pack-sdg-goals = ODD : { $goals }.
unit-count = effectif
unit-sum = somme
unit-rate = taux
unit-mean = moyenne
pack-footer = dossier d’indicateurs du bailleur { $pack } · aussi en PDF, CSV, CSV HXL et XLSX à côté de ce fichier
table-by-sex = Par sexe
table-by-age-group = Par tranche d’âge
pack-targets-chart-title = Part de la cible atteinte
pack-targets-x-axis = Réalisé en part de la cible (%)

## Note méthodologique du dossier (donor/methodology.txt) et note sous ses
## tableaux (donor/footnote.txt)

methodology-as-of = Valeurs au { $date } : les enregistrements postérieurs à cette date ne sont pas comptés.
methodology-data = Données : les dépôts d’export du système de gestion des dossiers { $drops } ; le plus récent { $newest }.
methodology-versions = Chaque enregistrement compte dans sa version actuelle (le plus grand updated_at, puis le dépôt le plus récent, puis la ligne la plus tardive). Les lignes qui enfreignent le contrat de données sont mises en quarantaine, jamais comptées.
methodology-people = Les personnes sont des dossiers distincts, comptés une fois par indicateur et par période ; chaque période est calculée directement à partir des enregistrements, jamais additionnée à partir de périodes plus courtes.
methodology-cellkey = Contrôle de la divulgation, méthode des clés de cellule (utilisée par l’Office for National Statistics britannique pour le recensement de 2021 et par l’Australian Bureau of Statistics dans TableBuilder) : chaque effectif est modifié d’une petite quantité qui ne dépend que des personnes ou des enregistrements qu’il compte, si bien que les mêmes personnes donnent toujours le même effectif publié, dans chaque tableau, format, dossier et publication. Aucun effectif de 1 à { $below } n’est publié : ces effectifs apparaissent comme 0 ou comme { $k } ou plus. Un effectif publié s’écarte d’au plus { $max } de l’effectif exact.
methodology-cellkey-totals = Les totaux sont protégés comme des cellules à part entière : un total n’est donc pas forcément la somme de ses lignes, et la différence de deux valeurs publiées (deux publications, une année et un trimestre, un total et ses lignes) n’est pas un effectif exact.
methodology-cellkey-sums = Les sommes (dollars des États-Unis, membres d’entreprises) portant sur moins de { $k } enregistrements sont masquées ({ $marker }) ; les autres sont modifiées d’au plus { $noise } et arrondies à l’unité. Les taux et les moyennes sont calculés à partir du numérateur et du dénominateur protégés, et masqués ({ $marker }) quand le dénominateur est inférieur à { $k }. Le « % atteint » est le réalisé publié rapporté à la cible.
methodology-cellkey-utility = Dans ce dossier : { $cells } valeurs, dont { $hidden } masquées ; { $changed } des valeurs affichées diffèrent de la valeur exacte ; l’écart maximal est de { $count_diff } pour un effectif, de { $rate_diff } points de pourcentage pour un taux et de { $rel_diff } pour une somme ou une moyenne.
methodology-cellkey-files = Dans pack.csv, pack.hxl.csv et la feuille Data du fichier XLSX, la colonne value ne contient que des nombres ; obs_status vaut « perturbed » pour toute valeur avec cette méthode, modifiée ou non (ne marquer que les valeurs modifiées révélerait lesquelles sont exactes), et « hidden » là où la valeur est masquée. Table de perturbation : { $ptable }.
methodology-suppress = Contrôle de la divulgation, suppression des petites cellules : un effectif ou une somme de 1 à { $below } est masqué ({ $marker }) ; quand une ventilation compte exactement une telle cellule, sa plus petite autre cellule non nulle est masquée aussi ; un taux ou une moyenne portant sur moins de { $k } personnes est masqué. Ces règles ne protègent qu’un dossier : comparer des dossiers de dates différentes, ou une année avec ses trimestres, peut révéler un effectif masqué.
methodology-suppress-utility = Dans ce dossier : { $cells } valeurs, dont { $hidden } masquées ; les valeurs affichées sont exactes. Dans pack.csv, pack.hxl.csv et la feuille Data du fichier XLSX, la colonne value ne contient que des nombres et obs_status vaut « hidden » là où la valeur est masquée.
methodology-none = Pas de contrôle de la divulgation : les valeurs sont exactes, car la configuration ne couvre pas les dossiers des bailleurs. Ce dossier est réservé à un usage interne.
methodology-files = Fichiers de ce dossier : { $files }. Tous sont produits à partir des mêmes valeurs publiées par les modèles de Homeward.
methodology-files-iati = Fichiers de ce dossier : { $files }. Tous sont produits à partir des mêmes valeurs publiées par les modèles de Homeward ; iati-activities.xml suit la norme d’activités IATI 2.03, une activité par projet avec ses résultats (cibles, valeurs de référence et réalisés de cette période et de la durée du projet, par sexe et tranche d’âge), où une valeur masquée est omise et les taux sont des pourcentages.
methodology-threshold = Réintégration durable : un score global d’enquête d’au moins { $threshold } sur une échelle de 0 à 1.
methodology-privacy = Ce dossier ne contient ni noms, ni dates de naissance, ni identifiants de dossiers.
methodology-runs = Indicateurs de l’exécution { $transform } ; dossier de l’exécution { $run }.
footnote-cellkey = Les effectifs sont légèrement modifiés pour protéger les personnes comptées (méthode des clés de cellule, voir la méthodologie) : les totaux ne sont pas forcément la somme de leurs lignes. { $marker } : masqué (une somme portant sur moins de { $k } enregistrements, ou un taux ou une moyenne portant sur moins de { $k } personnes).
footnote-suppress = { $marker } : masqué (un effectif de 1 à { $below }, ou une cellule masquée pour qu’un tel effectif ne puisse être déduit du total ; un taux ou une moyenne portant sur moins de { $k } personnes).
footnote-none = Valeurs exactes, non protégées par le contrôle de la divulgation : usage interne uniquement.
