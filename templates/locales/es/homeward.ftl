# Las palabras de los informes de Homeward, en español. Mismos
# identificadores que locales/en/homeward.ftl; los números, porcentajes y
# fechas los formatean los filtros (CLDR). Vocabulario: docs/glossary.md.

## Todas las páginas

homeward = Homeward

## Períodos

period-quarter = T{ $quarter } { $year }
period-to-date = Desde el inicio
period-project-life = Duración del proyecto
period-previous = período anterior

## Recuentos con reglas de plural ($count: el número; $shown: el número
## como lo escribe la página).

returnees-count = { $count ->
    [one] { $shown } retornado
   *[other] { $shown } retornados
}
runs-count = { $count ->
    [one] { $shown } ejecución
   *[other] { $shown } ejecuciones
}
days-count = { $count ->
    [one] { $shown } día
   *[other] { $shown } días
}

## El informe del programa

programme-page-title = Informe del programa { $project }
programme-meta-period = Informe del programa, { $period } ({ $start } – { $end })
meta-as-of = Situación al { $date }
meta-data-to-drop = Datos hasta la entrega { $drop }
meta-none-pulled = ninguna entrega importada
meta-run = Ejecución
nav-projects = Proyectos
nav-languages = Idiomas
all-projects = Todos los proyectos

headlines = Cifras clave, { $period }
headlines-note = Cada variación se compara con { $previous }, un período de la misma duración. Cada persona se cuenta una vez por período.
tile-no-comparison = sin comparación
tile-points-vs = { $change } puntos respecto a { $previous } ({ $value })
tile-change-vs = { $change } respecto a { $previous } ({ $value })
tile-change-ratio-vs = { $change } ({ $ratio }) respecto a { $previous } ({ $value })
tile-quarter-so-far = { $quarter } hasta la fecha: { $value }

trends-heading = Tendencias de los últimos 12 meses

funnel-heading = Embudo de casos
funnel-stage = Etapa
funnel-cases = Casos de retornados
funnel-shown-apart = (contados aparte)
funnel-none = Ningún caso de retornado.
funnel-note = Situación actual de cada caso de retornado al { $date }. Cada etapa cuenta los casos que llegaron al menos a ella; los casos desistidos y cerrados se cuentan aparte.

who-heading = Personas asistidas, { $period }

rss-heading = Encuesta de sostenibilidad de la reintegración
rss-dimension = Dimensión
rss-mean-period = Puntuación media, { $period }
rss-surveys = Encuestas
rss-mean-to-date = Puntuación media, desde el inicio
rss-sustainable = Reintegración sostenible: { $rate } de { $surveyed } encuestados en { $period }.
rss-no-surveys = Ninguna encuesta puntuada en este período.

business-heading = Resultados de los negocios, { $period }
business-operating = Tasa de actividad de los negocios monitoreados en el período: { $rate }.

targets-heading = Avance respecto a las metas
targets-project = Proyecto
targets-indicator = Indicador
targets-period = Período de la meta
targets-breakdown = Desglose
targets-baseline = Línea de base
targets-target = Meta
targets-actual = Logrado
targets-achieved = Alcanzado
targets-none = Ninguna meta para este período ni para la duración del proyecto.

quality-heading = Calidad de los datos
quality-since-last = Desde el último informe ({ $runs }): { $pulled } archivos importados, { $rejected } rechazados; { $loaded } filas cargadas, { $quarantined } en cuarentena.
quality-reasons = Principales motivos de cuarentena:
quality-orphans = Registros huérfanos:
quality-tests = Pruebas de datos con advertencia o fallo:
quality-test-rows = { $status }, { $rows } filas
quality-none = ninguno
quality-not-checked = sin verificar
quality-newest-drop = Última entrega: { $drop }
quality-drop-age = { $days } antes de la fecha de situación

programme-footer = informe del programa · indicadores de la ejecución { $run } · véase run.html para el detalle de la ejecución

## Tablas

table-total = Total
table-no-records = Ningún registro en este período.

## Desgloses y dimensiones

breakdown-total = Total
breakdown-sex = Sexo
breakdown-age_group = Grupo de edad
breakdown-country_of_origin = País de origen
breakdown-host_country = País de acogida
breakdown-vulnerability = Vulnerabilidad
breakdown-model = Modelo de negocio
breakdown-sector = Sector
breakdown-assistance_type = Tipo de asistencia
breakdown-dimension = Dimensión
dimension-economic = Económica
dimension-social = Social
dimension-psychosocial = Psicosocial
dimension-overall = Global

## Gráficos y tablas del informe del programa (programme/page.toml)

trend-chart-title = { $title } por mes
trend-x-axis = Mes
axis-returnees = Retornados (personas)
axis-businesses = Negocios
funnel-chart-title = Embudo de casos al { $as_of }
funnel-x-axis = Casos de retornados (personas)
sex-age-title = Retornados asistidos por sexo y grupo de edad
table-by-country-of-origin = Por país de origen
table-by-host-country = Por país de acogida
table-by-vulnerability = Por vulnerabilidad
table-vulnerability-note = Una persona con varias vulnerabilidades se cuenta en cada una de ellas, por lo que esta tabla no suma el total.
histogram-title = Puntuaciones globales de reintegración, { $period }
histogram-x-axis = Puntuación global (0 = la peor, 1 = la mejor)
histogram-y-axis = Retornados encuestados
histogram-threshold = Umbral de sostenibilidad ({ $threshold })
table-businesses-by-model = Negocios por modelo
table-businesses-by-sector = Negocios por sector
targets-chart-title = Avance respecto a las metas
targets-x-axis = Porcentaje de la meta alcanzado (%)
targets-line = Meta (100 %)

## Etapas del embudo (columna `stage` de rpt_funnel)

funnel-stage-registered = Registrado
funnel-stage-returned = Retornado
funnel-stage-reintegration_in_progress = Reintegración en curso
funnel-stage-reintegration_completed = Reintegración completada
funnel-stage-withdrawn = Desistido
funnel-stage-closed = Cerrado

## Listas de códigos: sexos y vulnerabilidades (los nombres de países
## vienen del CLDR)

sex-F = Mujer
sex-M = Hombre
sex-X = Otro
sex-U = Desconocido
vulnerability-VOT = Víctima de trata
vulnerability-UMC = Niño migrante no acompañado o separado
vulnerability-MED = Necesidades de salud
vulnerability-DIS = Persona con discapacidad
vulnerability-ELD = Persona mayor
vulnerability-SGBV = Sobreviviente de violencia sexual o de género
vulnerability-none = Sin vulnerabilidad
