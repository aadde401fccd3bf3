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
breakdown-channel = Canal
dimension-reception = Acogida
dimension-structural = Estructural
channel-direct = Prestada por el programa
channel-referral = Derivada a un socio

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
assistance-heading = Asistencia prestada, { $period }
table-assistance-by-dimension = Por dimensión de la reintegración
table-assistance-by-type = Por tipo de asistencia
table-assistance-by-channel = Por canal
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

## Tipos de asistencia (códigos de sql/seeds/assistance_types.csv)
assistance-reception_cash = Acogida: efectivo para necesidades inmediatas (dinero de bolsillo)
assistance-temporary_accommodation = Acogida: alojamiento temporal
assistance-food_nutrition = Acogida: alimentación y nutrición
assistance-business_setup = Apoyo para crear una pequeña empresa
assistance-job_placement = Colocación laboral o subsidio salarial
assistance-vocational_training = Formación profesional o técnica (EFTP)
assistance-education = Apoyo a la escolarización y la educación
assistance-medical = Asistencia médica y sanitaria
assistance-housing = Apoyo a la vivienda
assistance-legal_documentation = Asistencia jurídica y documentación civil
assistance-psychosocial_counselling = Apoyo psicosocial
assistance-family_mediation = Mediación familiar y comunitaria
assistance-community_project = Proyecto comunitario de reintegración
assistance-capacity_building = Formación de socios y autoridades locales

## El paquete de indicadores para el donante (donor/pack.html, pack.typ, pack.toml)

pack-page-title = Paquete de indicadores { $pack } { $period }
pack-title = Paquete de indicadores
pack-heading = Paquete de indicadores: { $donor }, { $period }
pack-meta-period = Período del { $start } al { $end }
pack-contents = Índice
pack-projects = Proyectos
pack-logframe = Marco lógico
pack-sdg = Alineación con los ODS
pack-disaggregation = Desglose
pack-disaggregation-period = Desglose, { $period }
pack-definitions = Definiciones
pack-methodology = Metodología
pack-cover = Donante: { $donor }. Paquete { $pack }, período { $period }.
pack-not-in-reference = (no figura en los datos de referencia de los proyectos)
field-code = Código
field-type = Tipo
field-donor = Donante
field-budget = Presupuesto
field-dates = Fechas
field-coverage = Cobertura
field-region = Región
field-countries = Países beneficiarios
field-sdg-goals = ODS
amount-usd = { $amount } USD
pack-actual-period = Logrado, { $period }
pack-actual-to-date = Logrado desde el inicio
pack-no-targets = Ninguna meta para estos proyectos y este período.
pack-achieved-note = Alcanzado: el valor logrado publicado del período propio de la meta (desde el inicio para la duración del proyecto) respecto a la meta.
pack-sdg-goal = Objetivo de Desarrollo Sostenible
pack-goal = Objetivo { $goal }
pack-reached = Retornados alcanzados, { $period }
pack-no-sdg = Ningún ODS registrado para estos proyectos.
pack-unit = Unidad: { $unit }.
pack-sdg-goals = ODS: { $goals }.
unit-count = recuento
unit-sum = suma
unit-rate = tasa
unit-mean = media
pack-footer = paquete de indicadores para el donante { $pack } · también en PDF, CSV, CSV HXL y XLSX junto a este archivo
table-by-sex = Por sexo
table-by-age-group = Por grupo de edad
pack-targets-chart-title = Porcentaje de la meta alcanzado
pack-targets-x-axis = Logrado como porcentaje de la meta (%)

## Nota metodológica del paquete (donor/methodology.txt) y nota bajo sus
## tablas (donor/footnote.txt)

methodology-as-of = Valores al { $date }: los registros posteriores a esta fecha no se cuentan.
methodology-data = Datos: las entregas de exportación del sistema de gestión de casos { $drops }; la más reciente { $newest }.
methodology-versions = Cada registro cuenta en su versión actual (el mayor updated_at, luego la entrega más reciente, luego la línea posterior). Las filas que incumplen el contrato de datos se ponen en cuarentena y nunca se cuentan.
methodology-people = Las personas son casos distintos, contados una vez por indicador y período; cada período se calcula directamente a partir de los registros, nunca sumando períodos más cortos.
methodology-cellkey = Control de divulgación, método de clave de celda (usado por la Office for National Statistics del Reino Unido en el censo de 2021 y por el Australian Bureau of Statistics en TableBuilder): cada recuento se modifica en una pequeña cantidad que depende solo de las personas o registros que cuenta, de modo que las mismas personas dan siempre el mismo recuento publicado, en cada tabla, formato, paquete y publicación. No se publica ningún recuento de 1 a { $below }: esos recuentos aparecen como 0 o como { $k } o más. Un recuento publicado se aparta como máximo { $max } del recuento exacto.
methodology-cellkey-totals = Los totales se protegen como celdas propias, por lo que un total no tiene por qué ser la suma de sus filas, y la diferencia de dos valores publicados (dos publicaciones, un año y un trimestre, un total y sus filas) no es un recuento exacto.
methodology-cellkey-sums = Las sumas (dólares estadounidenses, miembros de negocios) sobre menos de { $k } registros se ocultan ({ $marker }); las demás se modifican como máximo un { $noise } y se redondean a unidades. Las tasas y medias se calculan a partir del numerador y el denominador protegidos, y se ocultan ({ $marker }) cuando el denominador es inferior a { $k }. El «% alcanzado» es el valor logrado publicado respecto a la meta.
methodology-cellkey-utility = En este paquete: { $cells } valores, { $hidden } ocultos; { $changed } de los valores mostrados difieren del valor exacto; la mayor diferencia es { $count_diff } para un recuento, { $rate_diff } puntos porcentuales para una tasa y { $rel_diff } para una suma o media.
methodology-cellkey-files = En pack.csv, pack.hxl.csv y la hoja Data del XLSX, la columna value solo contiene números; obs_status es «perturbed» para todo valor con este método, modificado o no (marcar solo los modificados revelaría cuáles son exactos), y «hidden» donde el valor está oculto. Tabla de perturbación: { $ptable }.
methodology-suppress = Control de divulgación, supresión de celdas pequeñas: un recuento o suma de 1 a { $below } se oculta ({ $marker }); cuando un desglose tiene exactamente una de esas celdas, también se oculta su menor otra celda distinta de cero; una tasa o media sobre menos de { $k } personas se oculta. Estas reglas protegen un solo paquete: comparar paquetes de fechas distintas, o un año con sus trimestres, puede revelar un recuento oculto.
methodology-suppress-utility = En este paquete: { $cells } valores, { $hidden } ocultos; los valores mostrados son exactos. En pack.csv, pack.hxl.csv y la hoja Data del XLSX, la columna value solo contiene números y obs_status es «hidden» donde el valor está oculto.
methodology-none = Sin control de divulgación: los valores son exactos, porque la configuración no cubre los paquetes para donantes. Este paquete es solo para uso interno.
methodology-files = Archivos de este paquete: { $files }. Todos se generan a partir de los mismos valores publicados con las plantillas de Homeward.
methodology-files-iati = Archivos de este paquete: { $files }. Todos se generan a partir de los mismos valores publicados con las plantillas de Homeward; iati-activities.xml sigue el estándar de actividades IATI 2.03, una actividad por proyecto con sus resultados (metas, líneas de base y valores logrados de este período y de la duración del proyecto, por sexo y grupo de edad), donde un valor oculto se omite y las tasas son porcentajes.
methodology-threshold = Reintegración sostenible: una puntuación global de la encuesta de al menos { $threshold } en una escala de 0 a 1.
methodology-privacy = Este paquete no contiene nombres, fechas de nacimiento ni identificadores de casos.
methodology-runs = Indicadores de la ejecución { $transform }; paquete de la ejecución { $run }.
footnote-cellkey = Los recuentos se modifican ligeramente para proteger a las personas contadas (método de clave de celda, véase la metodología): los totales no tienen por qué ser la suma de sus filas. { $marker }: oculto (una suma sobre menos de { $k } registros, o una tasa o media sobre menos de { $k } personas).
footnote-suppress = { $marker }: oculto (un recuento de 1 a { $below }, o una celda oculta para que ese recuento no pueda deducirse del total; una tasa o media sobre menos de { $k } personas).
footnote-none = Valores exactos, no protegidos por el control de divulgación: solo para uso interno.
