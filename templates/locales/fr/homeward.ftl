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
