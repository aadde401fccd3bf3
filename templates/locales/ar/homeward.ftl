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
