# كلمات تقارير Homeward بالعربية. المعرّفات نفسها الموجودة في
# locales/en/homeward.ftl؛ أما الأرقام والنسب المئوية والتواريخ فتنسّقها
# المرشّحات (CLDR) لا هذا الملف. المصطلحات: docs/glossary.md.
# صيغ الجمع في العربية ست: zero وone وtwo وfew (3–10) وmany (11–99) وother.

## كل الصفحات

homeward = Homeward

## الفترات

period-quarter = الربع { $quarter } من { $year }
period-to-date = منذ البداية
period-project-life = مدة المشروع
period-previous = الفترة السابقة

## الأعداد مع قواعد الجمع ($count العدد، و$shown العدد كما تكتبه الصفحة)

returnees-count = { $count ->
    [zero] { $shown } عائد
    [one] عائد واحد
    [two] عائدان
    [few] { $shown } عائدين
    [many] { $shown } عائدًا
   *[other] { $shown } عائد
}
runs-count = { $count ->
    [zero] { $shown } عملية تشغيل
    [one] عملية تشغيل واحدة
    [two] عمليتا تشغيل
    [few] { $shown } عمليات تشغيل
    [many] { $shown } عملية تشغيل
   *[other] { $shown } عملية تشغيل
}
days-count = { $count ->
    [zero] { $shown } يوم
    [one] يوم واحد
    [two] يومان
    [few] { $shown } أيام
    [many] { $shown } يومًا
   *[other] { $shown } يوم
}

## تقرير البرنامج

programme-page-title = تقرير البرنامج { $project }
programme-meta-period = تقرير البرنامج، { $period } (من { $start } إلى { $end })
meta-as-of = الوضع في { $date }
meta-data-to-drop = البيانات حتى الدفعة { $drop }
meta-none-pulled = لم تُستورد أي دفعة
meta-run = عملية التشغيل
nav-projects = المشاريع
nav-languages = اللغات
all-projects = جميع المشاريع

headlines = أبرز الأرقام، { $period }
headlines-note = يُقارن كل تغيّر بـ{ $previous }، وهي فترة بالطول نفسه. يُحسب كل شخص مرة واحدة في كل فترة.
tile-no-comparison = لا مقارنة
tile-points-vs = { $change } نقطة مقارنة بـ{ $previous } ({ $value })
tile-change-vs = { $change } مقارنة بـ{ $previous } ({ $value })
tile-change-ratio-vs = { $change } ({ $ratio }) مقارنة بـ{ $previous } ({ $value })
tile-quarter-so-far = { $quarter } حتى الآن: { $value }

trends-heading = الاتجاهات خلال الأشهر الاثني عشر الأخيرة

funnel-heading = مسار الحالات
funnel-stage = المرحلة
funnel-cases = حالات العائدين
funnel-shown-apart = (تُحسب على حدة)
funnel-none = لا توجد حالات عائدين.
funnel-note = الوضع الحالي لكل حالة عائد في { $date }. تحسب كل مرحلة الحالات التي بلغتها على الأقل؛ وتُحسب الحالات المنسحبة والمغلقة على حدة.

who-heading = من تلقّى المساعدة، { $period }

rss-heading = مسح استدامة إعادة الإدماج
rss-dimension = البُعد
rss-mean-period = متوسط الدرجة، { $period }
rss-surveys = الاستبيانات
rss-mean-to-date = متوسط الدرجة منذ البداية
rss-sustainable = إعادة الإدماج المستدامة: { $rate } من { $surveyed } شملهم المسح في { $period }.
rss-no-surveys = لا توجد استبيانات مُقيّمة في هذه الفترة.

business-heading = نتائج المشاريع الصغيرة، { $period }
business-operating = معدل نشاط المشاريع الصغيرة المتابَعة خلال الفترة: { $rate }.

targets-heading = التقدم نحو تحقيق الأهداف
targets-project = المشروع
targets-indicator = المؤشر
targets-period = فترة الهدف
targets-breakdown = التصنيف
targets-baseline = خط الأساس
targets-target = الهدف
targets-actual = المُنجَز
targets-achieved = نسبة الإنجاز
targets-none = لا توجد أهداف لهذه الفترة ولا لمدة المشروع.

quality-heading = جودة البيانات
quality-since-last = منذ التقرير الأخير ({ $runs }): استُورد { $pulled } ملفًا ورُفض { $rejected }؛ وحُمّل { $loaded } صفًا ووُضع { $quarantined } في الحجر.
quality-reasons = أهم أسباب الحجر:
quality-orphans = السجلات اليتيمة:
quality-tests = اختبارات البيانات التي أعطت تحذيرًا أو فشلت:
quality-test-rows = { $status }، { $rows } صف
quality-none = لا شيء
quality-not-checked = لم يُتحقق منها
quality-newest-drop = أحدث دفعة: { $drop }
quality-drop-age = قبل تاريخ الوضع بـ{ $days }

programme-footer = تقرير البرنامج · مؤشرات عملية التشغيل { $run } · انظر run.html لتفاصيل عملية التشغيل

## الجداول

table-total = المجموع
table-no-records = لا توجد سجلات في هذه الفترة.

## التصنيفات والأبعاد

breakdown-total = المجموع
breakdown-sex = الجنس
breakdown-age_group = الفئة العمرية
breakdown-country_of_origin = بلد المنشأ
breakdown-host_country = البلد المضيف
breakdown-vulnerability = الهشاشة
breakdown-model = نموذج المشروع
breakdown-sector = القطاع
breakdown-assistance_type = نوع المساعدة
breakdown-dimension = البُعد
dimension-economic = الاقتصادي
dimension-social = الاجتماعي
dimension-psychosocial = النفسي الاجتماعي
dimension-overall = الإجمالي
breakdown-channel = القناة
dimension-reception = الاستقبال
dimension-structural = الهيكلي
channel-direct = قدّمها البرنامج
channel-referral = أُحيلت إلى شريك

## رسوم تقرير البرنامج وجداوله (programme/page.toml)

trend-chart-title = { $title } حسب الشهر
trend-x-axis = الشهر
axis-returnees = العائدون (أشخاص)
axis-businesses = المشاريع الصغيرة
funnel-chart-title = مسار الحالات في { $as_of }
funnel-x-axis = حالات العائدين (أشخاص)
sex-age-title = العائدون الذين تلقّوا المساعدة حسب الجنس والفئة العمرية
table-by-country-of-origin = حسب بلد المنشأ
table-by-host-country = حسب البلد المضيف
table-by-vulnerability = حسب الهشاشة
table-vulnerability-note = يُحسب الشخص الذي لديه أكثر من عامل هشاشة تحت كل منها، لذا لا يساوي مجموع هذا الجدول المجموع الكلي.
histogram-title = الدرجات الإجمالية لإعادة الإدماج، { $period }
histogram-x-axis = الدرجة الإجمالية (0 = الأسوأ، 1 = الأفضل)
histogram-y-axis = العائدون الذين شملهم المسح
histogram-threshold = عتبة الاستدامة ({ $threshold })
table-businesses-by-model = المشاريع الصغيرة حسب النموذج
table-businesses-by-sector = المشاريع الصغيرة حسب القطاع
assistance-heading = المساعدة المقدَّمة، { $period }
table-assistance-by-dimension = حسب بُعد إعادة الإدماج
table-assistance-by-type = حسب نوع المساعدة
table-assistance-by-channel = حسب القناة
targets-chart-title = التقدم نحو تحقيق الأهداف
targets-x-axis = نسبة الهدف المُنجَزة (%)
targets-line = الهدف (100%)

## مراحل مسار الحالات (العمود stage في rpt_funnel)

funnel-stage-registered = مسجَّل
funnel-stage-returned = عاد
funnel-stage-reintegration_in_progress = إعادة الإدماج جارية
funnel-stage-reintegration_completed = اكتملت إعادة الإدماج
funnel-stage-withdrawn = منسحب
funnel-stage-closed = مغلق

## قوائم الرموز: الجنس وعوامل الهشاشة (أسماء البلدان من CLDR)

sex-F = أنثى
sex-M = ذكر
sex-X = آخر
sex-U = غير معروف
vulnerability-VOT = ضحية اتجار بالبشر
vulnerability-UMC = طفل مهاجر غير مصحوب أو منفصل عن ذويه
vulnerability-MED = احتياجات صحية
vulnerability-DIS = شخص ذو إعاقة
vulnerability-ELD = شخص مسن
vulnerability-SGBV = ناجٍ من العنف الجنسي أو القائم على النوع الاجتماعي
vulnerability-none = لا توجد هشاشة

## أنواع المساعدة (رموز sql/seeds/assistance_types.csv)
assistance-reception_cash = الاستقبال: مبلغ نقدي للاحتياجات العاجلة (مصروف جيب)
assistance-temporary_accommodation = الاستقبال: سكن مؤقت
assistance-food_nutrition = الاستقبال: الغذاء والتغذية
assistance-business_setup = دعم إنشاء مشروع صغير
assistance-job_placement = التوظيف أو دعم الأجور
assistance-vocational_training = التدريب المهني أو التقني
assistance-education = دعم التعليم والدراسة
assistance-medical = المساعدة الطبية والصحية
assistance-housing = دعم السكن
assistance-legal_documentation = المساعدة القانونية ووثائق الأحوال المدنية
assistance-psychosocial_counselling = الإرشاد النفسي والاجتماعي
assistance-family_mediation = الوساطة الأسرية والمجتمعية
assistance-community_project = مشروع مجتمعي لإعادة الإدماج
assistance-capacity_building = تدريب الشركاء والسلطات المحلية

## حزمة المؤشرات للجهة المانحة (donor/pack.html وpack.typ وpack.toml)

pack-page-title = حزمة المؤشرات { $pack } { $period }
pack-title = حزمة المؤشرات
pack-heading = حزمة المؤشرات: { $donor }، { $period }
pack-meta-period = الفترة من { $start } إلى { $end }
pack-contents = المحتويات
pack-projects = المشاريع
pack-logframe = الإطار المنطقي
pack-sdg = المواءمة مع أهداف التنمية المستدامة
pack-disaggregation = التصنيف التفصيلي
pack-disaggregation-period = التصنيف التفصيلي، { $period }
pack-definitions = التعريفات
pack-methodology = المنهجية
pack-cover = الجهة المانحة: { $donor }. الحزمة { $pack }، الفترة { $period }.
pack-not-in-reference = (غير موجود في البيانات المرجعية للمشاريع)
field-code = الرمز
field-type = النوع
field-donor = الجهة المانحة
field-budget = الميزانية
field-dates = التواريخ
field-coverage = التغطية
field-region = المنطقة
field-countries = البلدان المستفيدة
field-sdg-goals = أهداف التنمية المستدامة
amount-usd = { $amount } دولار أمريكي
pack-actual-period = المُنجَز، { $period }
pack-actual-to-date = المُنجَز منذ البداية
pack-no-targets = لا توجد أهداف لهذه المشاريع في هذه الفترة.
pack-achieved-note = نسبة الإنجاز: القيمة المنشورة المُنجَزة في الفترة الخاصة بالهدف (منذ البداية بالنسبة لمدة المشروع) مقسومة على الهدف.
pack-sdg-goal = هدف التنمية المستدامة
pack-goal = الهدف { $goal }
pack-reached = العائدون الذين تم الوصول إليهم، { $period }
pack-no-sdg = لم تُسجَّل أهداف للتنمية المستدامة لهذه المشاريع.
pack-unit = الوحدة: { $unit }.
pack-sdg-goals = أهداف التنمية المستدامة: { $goals }.
unit-count = عدد
unit-sum = مجموع
unit-rate = معدل
unit-mean = متوسط
pack-footer = حزمة مؤشرات الجهة المانحة { $pack } · متاحة أيضًا بصيغ PDF وCSV وHXL CSV وXLSX بجانب هذا الملف
table-by-sex = حسب الجنس
table-by-age-group = حسب الفئة العمرية
pack-targets-chart-title = نسبة الهدف المُنجَزة
pack-targets-x-axis = المُنجَز كنسبة من الهدف (%)

## المذكرة المنهجية للحزمة (donor/methodology.txt) والملاحظة أسفل
## جداولها (donor/footnote.txt)

methodology-as-of = القيم في { $date }: لا تُحسب السجلات الواردة بعد هذا التاريخ.
methodology-data = البيانات: دفعات التصدير من نظام إدارة الحالات { $drops }؛ وأحدثها { $newest }.
methodology-versions = يُحسب كل سجل بنسخته الحالية (أكبر قيمة updated_at، ثم الدفعة الأحدث، ثم السطر الأخير). أما الصفوف المخالفة لعقد البيانات فتوضع في الحجر ولا تُحسب أبدًا.
methodology-people = الأشخاص حالات متمايزة، يُحسب كل منهم مرة واحدة لكل مؤشر وفترة؛ وتُحسب كل فترة مباشرة من السجلات، ولا تُجمع أبدًا من فترات أقصر.
methodology-cellkey = ضبط الإفصاح بطريقة مفتاح الخلية (التي يستخدمها مكتب الإحصاءات الوطنية في المملكة المتحدة لتعداد 2021 ومكتب الإحصاء الأسترالي في TableBuilder): يُعدَّل كل عدد بمقدار صغير لا يعتمد إلا على الأشخاص أو السجلات التي يعدّها، فيعطي الأشخاص أنفسهم دائمًا العدد المنشور نفسه في كل جدول وصيغة وحزمة وإصدار. لا يُنشر أي عدد من 1 إلى { $below }: تظهر هذه الأعداد صفرًا أو { $k } فأكثر. ولا يبتعد العدد المنشور عن العدد الدقيق بأكثر من { $max }.
methodology-cellkey-totals = تُحمى المجاميع بوصفها خلايا قائمة بذاتها، لذا قد لا يساوي المجموع مجموع صفوفه، والفرق بين قيمتين منشورتين (إصداران، أو سنة وربع، أو مجموع وصفوفه) ليس عددًا دقيقًا.
methodology-cellkey-sums = تُحجب المجاميع (بالدولار الأمريكي، وأعضاء المشاريع الصغيرة) التي تشمل أقل من { $k } سجلات ({ $marker })؛ وتُعدَّل البقية بما لا يزيد على { $noise } وتُقرَّب إلى أعداد صحيحة. وتُحسب المعدلات والمتوسطات من البسط والمقام المحميين، وتُحجب ({ $marker }) إذا كان المقام أقل من { $k }. أما «نسبة الإنجاز» فهي القيمة المنشورة المُنجَزة مقسومة على الهدف.
methodology-cellkey-utility = في هذه الحزمة: { $cells } قيمة، حُجب منها { $hidden }؛ وتختلف { $changed } من القيم المعروضة عن القيمة الدقيقة؛ وأكبر فرق هو { $count_diff } للعدد، و{ $rate_diff } نقطة مئوية للمعدل، و{ $rel_diff } للمجموع أو المتوسط.
methodology-cellkey-files = في pack.csv وpack.hxl.csv وورقة Data في ملف XLSX، لا يحتوي العمود value إلا على أرقام؛ وقيمة obs_status هي «perturbed» لكل قيمة بهذه الطريقة، سواء عُدِّلت أم لا (فتمييز المعدَّلة وحدها يكشف الدقيقة منها)، و«hidden» حيث حُجبت القيمة. جدول الاضطراب: { $ptable }.
methodology-suppress = ضبط الإفصاح بحجب الخلايا الصغيرة: يُحجب ({ $marker }) كل عدد أو مجموع من 1 إلى { $below }؛ وإذا كان في التصنيف خلية واحدة فقط من هذا النوع، تُحجب أيضًا أصغر خلية أخرى غير صفرية فيه؛ ويُحجب المعدل أو المتوسط الذي يشمل أقل من { $k } أشخاص. هذه القواعد تحمي حزمة واحدة فقط: فمقارنة حزم بتواريخ مختلفة، أو سنة بأرباعها، قد تكشف عددًا محجوبًا.
methodology-suppress-utility = في هذه الحزمة: { $cells } قيمة، حُجب منها { $hidden }؛ والقيم المعروضة دقيقة. في pack.csv وpack.hxl.csv وورقة Data في ملف XLSX، لا يحتوي العمود value إلا على أرقام، وقيمة obs_status هي «hidden» حيث حُجبت القيمة.
methodology-none = لا يوجد ضبط للإفصاح: القيم دقيقة لأن الإعدادات لا تشمل حزم الجهات المانحة. هذه الحزمة للاستخدام الداخلي فقط.
methodology-files = ملفات هذه الحزمة: { $files }. وكلها مُعدّة من القيم المنشورة نفسها بقوالب Homeward.
methodology-files-iati = ملفات هذه الحزمة: { $files }. وكلها مُعدّة من القيم المنشورة نفسها بقوالب Homeward؛ ويتبع iati-activities.xml معيار أنشطة IATI 2.03، بنشاط واحد لكل مشروع مع نتائجه (الأهداف وخطوط الأساس والقيم المُنجَزة لهذه الفترة ولمدة المشروع، حسب الجنس والفئة العمرية)، وتُحذف منه القيمة المحجوبة وتُكتب المعدلات نسبًا مئوية.
methodology-threshold = إعادة الإدماج المستدامة: درجة إجمالية في المسح لا تقل عن { $threshold } على مقياس من 0 إلى 1.
methodology-privacy = لا تحتوي هذه الحزمة على أسماء أو تواريخ ميلاد أو أرقام تعريف للحالات.
methodology-runs = مؤشرات عملية التشغيل { $transform }؛ والحزمة من عملية التشغيل { $run }.
footnote-cellkey = عُدِّلت الأعداد قليلًا لحماية الأشخاص المعدودين (طريقة مفتاح الخلية، انظر المنهجية): قد لا تساوي المجاميع مجموع صفوفها. { $marker }: محجوب (مجموع يشمل أقل من { $k } سجلات، أو معدل أو متوسط يشمل أقل من { $k } أشخاص).
footnote-suppress = { $marker }: محجوب (عدد من 1 إلى { $below }، أو خلية حُجبت كي لا يُستنتج هذا العدد من المجموع؛ أو معدل أو متوسط يشمل أقل من { $k } أشخاص).
footnote-none = قيم دقيقة غير محمية بضبط الإفصاح: للاستخدام الداخلي فقط.
