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
