# The words of Homeward's reports, in English: the fallback of every other
# language. Each language has a folder beside this one with the same
# message ids (a test checks it); `t("id", name=value)` in a template
# shows one. Numbers, percentages and dates are formatted by the filters
# (fmt_int, fmt_pct, fmt_date), not here. docs/glossary.md lists the
# programme's terms in every language.

## Every page

homeward = Homeward

## Periods

period-quarter = Q{ $quarter } { $year }
period-to-date = To date
period-project-life = Project life
period-previous = previous period

## Counts with plural rules: $count is the number, $shown the number as
## the page writes it.

returnees-count = { $count ->
    [one] { $shown } returnee
   *[other] { $shown } returnees
}
runs-count = { $count ->
    [one] { $shown } run
   *[other] { $shown } runs
}
days-count = { $count ->
    [one] { $shown } day
   *[other] { $shown } days
}

## The programme report (programme/report.html)

programme-page-title = Programme report { $project }
programme-meta-period = Programme report, { $period } ({ $start } – { $end })
meta-as-of = As of { $date }
meta-data-to-drop = Data to drop { $drop }
meta-none-pulled = none pulled
meta-run = Run
nav-projects = Projects
nav-languages = Languages
all-projects = All projects

headlines = Headlines, { $period }
headlines-note = Each change compares with { $previous }, a period of the same length. People are counted once per period.
tile-no-comparison = no comparison
tile-points-vs = { $change } points vs { $previous } ({ $value })
tile-change-vs = { $change } vs { $previous } ({ $value })
tile-change-ratio-vs = { $change } ({ $ratio }) vs { $previous } ({ $value })
tile-quarter-so-far = { $quarter } so far: { $value }

trends-heading = Trends, last 12 months

funnel-heading = Case funnel
funnel-stage = Stage
funnel-cases = Returnee cases
funnel-shown-apart = (shown apart)
funnel-none = No returnee cases.
funnel-note = Current status of every returnee case as of { $date }. Each stage counts the cases that reached at least that stage; withdrawn and closed cases are counted apart.

who-heading = Who was assisted, { $period }

rss-heading = Reintegration sustainability survey
rss-dimension = Dimension
rss-mean-period = Mean score, { $period }
rss-surveys = Surveys
rss-mean-to-date = Mean score, to date
rss-sustainable = Sustainable reintegration: { $rate } of { $surveyed } surveyed in { $period }.
rss-no-surveys = No scored surveys in this period.

business-heading = Business outcomes, { $period }
business-operating = Operating rate of businesses monitored in the period: { $rate }.

targets-heading = Progress against targets
targets-project = Project
targets-indicator = Indicator
targets-period = Target period
targets-breakdown = Breakdown
targets-baseline = Baseline
targets-target = Target
targets-actual = Actual
targets-achieved = Achieved
targets-none = No targets for this period or the project's life.

quality-heading = Data quality
quality-since-last = Since the last report ({ $runs }): { $pulled } files pulled, { $rejected } rejected; { $loaded } rows loaded, { $quarantined } quarantined.
quality-reasons = Top reasons for quarantine:
quality-orphans = Orphan records:
quality-tests = Data tests that warned or failed:
quality-test-rows = { $status }, { $rows } rows
quality-none = none
quality-not-checked = not checked
quality-newest-drop = Newest drop: { $drop }
quality-drop-age = { $days } before the as-of date

programme-footer = programme report · indicators of run { $run } · see run.html for the run's details

## Tables

table-total = Total
table-no-records = No records in this period.

## Breakdowns and dimensions

breakdown-total = Total
breakdown-sex = Sex
breakdown-age_group = Age group
breakdown-country_of_origin = Country of origin
breakdown-host_country = Host country
breakdown-vulnerability = Vulnerability
breakdown-model = Business model
breakdown-sector = Sector
breakdown-assistance_type = Assistance type
breakdown-dimension = Dimension
dimension-economic = Economic
dimension-social = Social
dimension-psychosocial = Psychosocial
dimension-overall = Overall
breakdown-channel = Channel
dimension-reception = Reception
dimension-structural = Structural
channel-direct = Delivered by the programme
channel-referral = Referred to a partner

## The programme report's charts and tables (programme/page.toml)

trend-chart-title = { $title } by month
trend-x-axis = Month
axis-returnees = Returnees (people)
axis-businesses = Businesses
funnel-chart-title = Case funnel as of { $as_of }
funnel-x-axis = Returnee cases (people)
sex-age-title = Returnees assisted by sex and age group
table-by-country-of-origin = By country of origin
table-by-host-country = By host country
table-by-vulnerability = By vulnerability
table-vulnerability-note = A person with several vulnerabilities counts under each of them, so this table does not add up to the total.
histogram-title = Overall reintegration scores, { $period }
histogram-x-axis = Overall score (0 = worst, 1 = best)
histogram-y-axis = Returnees surveyed
histogram-threshold = Sustainability threshold ({ $threshold })
table-businesses-by-model = Businesses by model
table-businesses-by-sector = Businesses by sector
assistance-heading = Assistance delivered in { $period }
table-assistance-by-dimension = By reintegration dimension
table-assistance-by-type = By assistance type
table-assistance-by-channel = By channel
targets-chart-title = Progress against targets
targets-x-axis = Share of target achieved (%)
targets-line = Target (100%)

## Funnel stages (rpt_funnel's `stage`; a stage without a message shows
## its label from the SQL)

funnel-stage-registered = Registered
funnel-stage-returned = Returned
funnel-stage-reintegration_in_progress = Reintegration in progress
funnel-stage-reintegration_completed = Reintegration completed
funnel-stage-withdrawn = Withdrawn
funnel-stage-closed = Closed

## Code lists: sexes (the contract's codes) and vulnerabilities (a
## vulnerability without a message shows sql/seeds/vulnerabilities.csv's
## label). Country names come from CLDR, not from here.

sex-F = Female
sex-M = Male
sex-X = Other
sex-U = Unknown
vulnerability-VOT = Victim of trafficking
vulnerability-UMC = Unaccompanied or separated migrant child
vulnerability-MED = Health-related needs
vulnerability-DIS = Person with a disability
vulnerability-ELD = Older person
vulnerability-SGBV = Survivor of sexual or gender-based violence
vulnerability-none = No vulnerability

## Assistance types (sql/seeds/assistance_types.csv's codes; a type
## without a message shows the code list's label)
assistance-reception_cash = Reception: cash for immediate needs (pocket money)
assistance-temporary_accommodation = Reception: temporary accommodation
assistance-food_nutrition = Reception: food and nutrition
assistance-business_setup = Support to set up a small business
assistance-job_placement = Job placement or wage subsidy
assistance-vocational_training = Vocational or skills training (TVET)
assistance-education = Schooling and education support
assistance-medical = Medical and health-related assistance
assistance-housing = Housing support
assistance-legal_documentation = Legal aid and civil documentation
assistance-psychosocial_counselling = Psychosocial counselling
assistance-family_mediation = Family and community mediation
assistance-community_project = Community-based reintegration project
assistance-capacity_building = Training of local partners and authorities

## The donor pack (donor/pack.html, pack.typ, pack.toml)

pack-page-title = Indicator pack { $pack } { $period }
pack-title = Indicator pack
pack-heading = Indicator pack: { $donor }, { $period }
pack-meta-period = Period { $start } – { $end }
pack-contents = Contents
pack-projects = Projects
pack-logframe = Logframe
pack-sdg = SDG alignment
pack-disaggregation = Disaggregation
pack-disaggregation-period = Disaggregation, { $period }
pack-definitions = Definitions
pack-methodology = Methodology
pack-cover = Donor: { $donor }. Pack { $pack }, period { $period }.
pack-not-in-reference = (not in the projects reference data)
field-code = Code
field-type = Type
field-donor = Donor
field-budget = Budget
field-dates = Dates
field-coverage = Coverage
field-region = Region
field-countries = Benefiting countries
field-sdg-goals = SDG goals
amount-usd = USD { $amount }
pack-actual-period = Actual, { $period }
pack-actual-to-date = Actual, to date
pack-no-targets = No targets for these projects and this period.
pack-achieved-note = Achieved: the published actual of the target's own period (to date for the project's life) over the target.
pack-sdg-goal = SDG goal
pack-goal = Goal { $goal }
pack-reached = Returnees reached, { $period }
pack-no-sdg = No SDG goals recorded for these projects.
pack-unit = Unit: { $unit }.
pack-sdg-goals = SDG goals: { $goals }.
unit-count = count
unit-sum = sum
unit-rate = rate
unit-mean = mean
pack-footer = donor indicator pack { $pack } · also as PDF, CSV, HXL CSV and XLSX beside this file
table-by-sex = By sex
table-by-age-group = By age group
pack-targets-chart-title = Share of target achieved
pack-targets-x-axis = Actual as a share of target (%)

## The pack's methodology note (donor/methodology.txt) and the note under
## its tables (donor/footnote.txt)

methodology-as-of = Values as of { $date }: records placed after this date are not counted.
methodology-data = Data: the case-management system's export drops { $drops }; newest { $newest }.
methodology-versions = Each record counts in its current version (the greatest updated_at, then the later drop, then the later line). Rows that break the data contract are quarantined, never counted.
methodology-people = People are distinct cases, counted once per indicator and period; every period is computed directly from the records, never added up from smaller ones.
methodology-cellkey = Disclosure control, cell-key method (as used by the UK Office for National Statistics for Census 2021 and by the Australian Bureau of Statistics in TableBuilder): every count is changed by a small amount that depends only on the people or records it counts, so the same people always give the same published count, in every table, format, pack and release. No count from 1 to { $below } is published: such counts appear as 0 or as { $k } or more. A published count is at most { $max } away from the exact count.
methodology-cellkey-totals = Totals are protected as cells of their own, so a total need not equal the sum of its rows, and the difference of two published values (two releases, a year and a quarter, a total and its rows) is not an exact count.
methodology-cellkey-sums = Sums (US dollars, business members) over fewer than { $k } records are withheld ({ $marker }); the others are changed by at most { $noise } and rounded to whole units. Rates and means are computed from the protected numerator and denominator, and withheld ({ $marker }) when the denominator is below { $k }. "% achieved" is the published actual over the target.
methodology-cellkey-utility = In this pack: { $cells } values, { $hidden } withheld; { $changed } of the values shown differ from the exact value; the largest difference is { $count_diff } for a count, { $rate_diff } percentage points for a rate, and { $rel_diff } for a sum or mean.
methodology-cellkey-files = In pack.csv, pack.hxl.csv and the XLSX Data sheet, the value column holds numbers only; obs_status is "perturbed" for every value under this method, changed or not (marking only the changed ones would tell which are exact), and "hidden" where the value is withheld. Perturbation table: { $ptable }.
methodology-suppress = Disclosure control, small-cell suppression: a count or sum from 1 to { $below } is withheld ({ $marker }); when a breakdown has exactly one such cell, its smallest other non-zero cell is withheld too; a rate or mean over fewer than { $k } people is withheld. These rules protect one pack only: comparing packs of different dates, or a year with its quarters, can reveal a withheld count.
methodology-suppress-utility = In this pack: { $cells } values, { $hidden } withheld; the values shown are exact. In pack.csv, pack.hxl.csv and the XLSX Data sheet, the value column holds numbers only and obs_status is "hidden" where the value is withheld.
methodology-none = No disclosure control: the values are exact, because the configuration does not cover donor packs. This pack is for internal use only.
methodology-files = Files of this pack: { $files }. Every one is made from the same published values by Homeward's templates.
methodology-files-iati = Files of this pack: { $files }. Every one is made from the same published values by Homeward's templates; iati-activities.xml is IATI activity standard 2.03, one activity per project with its results (targets, baselines, and the actuals of this period and of the project's life, by sex and age group), where a withheld value is left out and rates are percentages.
methodology-threshold = Sustainable reintegration: an overall survey score of at least { $threshold } on a 0–1 scale.
methodology-privacy = This pack holds no names, dates of birth or case identifiers.
methodology-runs = Indicators of run { $transform }; pack of run { $run }.
footnote-cellkey = Counts are slightly changed to protect the people counted (cell-key method, see Methodology): totals need not equal the sum of their rows. { $marker }: withheld (a sum over fewer than { $k } records, or a rate or mean over fewer than { $k } people).
footnote-suppress = { $marker }: withheld (a count from 1 to { $below }, or a cell withheld so that such a count cannot be recovered from the total; a rate or mean over fewer than { $k } people).
footnote-none = Exact values, not protected by disclosure control: for internal use only.
