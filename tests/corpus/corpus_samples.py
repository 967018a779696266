"""Hand-written Arabic articles (written for these tests) and the expected ingest outcome of every odd input."""
from __future__ import annotations


# Each article: (title, [paragraphs]); every paragraph ends with a full stop, as in the seed layout.
ARTICLES = {
    "visit": ("وزير الخارجية يلتقي نظيره الأردني في عمّان", [
        "التقى وزير الخارجية اليوم، في العاصمة الأردنية عمّان، نظيره الأردني لبحث العلاقات الثنائية.",
        "وقال الوزير إن البلدين متفقان على تعزيز التعاون الاقتصادي، والتنسيق في القضايا الإقليمية.",
        "وأضاف أن الزيارة تأتي ضمن جولة تشمل عدة دول عربية.",
    ]),
    "oil": ("أسعار النفط ترتفع بعد قرار أوبك", [
        "ارتفعت أسعار النفط الخام في الأسواق العالمية بعد أن قررت منظمة أوبك خفض الإنتاج.",
        "وتوقع محللون أن يتجاوز سعر البرميل ثمانين دولاراً خلال الشهر المقبل.",
    ]),
    "rain": ("أمطار غزيرة تغلق طرقاً في جدة", [
        "هطلت أمطار غزيرة على مدينة جدة صباح الأحد، ما أدى إلى إغلاق عدد من الطرق الرئيسية.",
        "ودعا الدفاع المدني السكان إلى البقاء في منازلهم وتجنب الأودية.",
    ]),
    "football": ("الهلال يفوز على النصر في الديربي", [
        "فاز فريق الهلال على منافسه النصر بهدفين مقابل هدف في مباراة الديربي مساء الجمعة.",
        "وسجل المهاجم هدف الفوز في الدقائق الأخيرة من اللقاء.",
    ]),
    "school": ("بدء العام الدراسي الجديد في المدارس", [
        "عاد ملايين الطلاب إلى مدارسهم مع انطلاق العام الدراسي الجديد.",
        "وأكدت وزارة التعليم جاهزية المباني والكتب والمعلمين لاستقبال الطلاب.",
    ]),
    "health": ("حملة تطعيم ضد الإنفلونزا الموسمية", [
        "أطلقت وزارة الصحة حملة واسعة للتطعيم ضد الإنفلونزا الموسمية في جميع المناطق.",
        "وتستهدف الحملة كبار السن والأطفال وأصحاب الأمراض المزمنة.",
    ]),
    "economy": ("البنك المركزي يثبت أسعار الفائدة", [
        "قرر البنك المركزي الإبقاء على أسعار الفائدة دون تغيير للمرة الثالثة على التوالي.",
        "وأشار البيان إلى تباطؤ معدل التضخم خلال الربع الأخير من العام.",
    ]),
    "summit": ("قمة خليجية في الرياض لبحث الأمن الإقليمي", [
        "انطلقت في الرياض أعمال القمة الخليجية بمشاركة قادة دول المجلس.",
        "وناقش القادة ملفات الأمن الإقليمي والتكامل الاقتصادي بين الدول الأعضاء.",
    ]),
    "culture": ("افتتاح معرض الكتاب الدولي بمشاركة واسعة", [
        "افتتح معرض الكتاب الدولي أبوابه أمام الزوار بمشاركة أكثر من ألف دار نشر.",
        "ويتضمن برنامج المعرض ندوات وأمسيات شعرية وورش عمل للأطفال.",
    ]),
    "tech": ("إطلاق قمر صناعي جديد للاتصالات", [
        "أعلنت وكالة الفضاء نجاح إطلاق قمر صناعي جديد لتحسين خدمات الاتصالات والإنترنت.",
        "ومن المتوقع أن يبدأ القمر عمله التجاري بعد ثلاثة أشهر من الاختبارات.",
    ]),
    "traffic": ("مشروع جديد لتخفيف الزحام المروري", [
        "كشفت أمانة المدينة عن مشروع جسور وأنفاق جديدة لتخفيف الزحام في الشوارع الرئيسية.",
        "ويستغرق تنفيذ المشروع عامين بتكلفة تقارب ملياري ريال.",
    ]),
}

# A longer article and a lightly edited copy of it (a near-duplicate, not an exact one).
LONG_TITLE = "تقرير عن الاقتصاد الإقليمي والتجارة والاستثمار"
LONG_PARAGRAPHS = [
    "شهدت المنطقة خلال العام الماضي نمواً ملحوظاً في حجم التجارة البينية بين الدول العربية، "
    "مدفوعاً بتحسن البنية التحتية للموانئ والطرق وتسهيل إجراءات الجمارك على الحدود المشتركة.",
    "وأظهرت بيانات رسمية أن الاستثمارات الأجنبية المباشرة ارتفعت في قطاعات الطاقة المتجددة والسياحة "
    "والصناعات التحويلية، بينما تراجعت في قطاع العقارات بسبب ارتفاع تكاليف التمويل.",
    "ويرى خبراء أن استمرار الإصلاحات الاقتصادية وتنويع مصادر الدخل بعيداً عن النفط سيعززان قدرة "
    "الاقتصادات على مواجهة تقلبات الأسواق العالمية في السنوات المقبلة.",
]
LONG_EDITED = [LONG_PARAGRAPHS[0], LONG_PARAGRAPHS[1],
               LONG_PARAGRAPHS[2].replace("السنوات المقبلة", "الأعوام القادمة")]

ENGLISH = ("Oil prices rise after OPEC decision\n\nOil prices rose on world markets after OPEC decided to cut "
           "output., Analysts expect the price of a barrel to exceed eighty dollars next month.")


def seed_text(title: str, paragraphs: list[str], *, newline: str = "\n", blank: bool = True) -> str:
    """An article in the seed layout: title line, blank line, paragraphs joined by ', '."""
    return title + " " + newline + (newline if blank else "") + ", ".join(paragraphs) + newline


# relative path -> (expected status, expected reason (exact, or prefix ending with '…'))
EXPECTED = {
    "plain.txt": ("loaded", ""),
    "bom.txt": ("loaded", ""),
    "utf16le.txt": ("loaded", "no metadata row for this file"),
    "utf16be.txt": ("loaded", "no metadata row for this file"),
    "cp1256.txt": ("loaded", "no metadata row for this file"),
    "crlf.txt": ("loaded", "no metadata row for this file"),
    "no_blank_line.txt": ("loaded", "no metadata row for this file"),
    "html.txt": ("loaded", "no metadata row for this file"),
    "nested/deeper/inner.txt": ("loaded", "unparseable date 'not a date' (stored as NaT)"),
    "خبر عاجل.txt": ("loaded", "no metadata row for this file"),
    "Odd Name (1).TXT": ("loaded", "no metadata row for this file"),
    "long.txt": ("loaded", "no metadata row for this file"),
    "long_edited.txt": ("loaded", "no metadata row for this file; near duplicate of …"),
    "zz_duplicate.txt": ("duplicate", "exact duplicate of plain.txt"),
    "empty.txt": ("rejected", "empty file"),
    "whitespace.txt": ("rejected", "whitespace-only file"),
    "title_only.txt": ("rejected", "title without body"),
    "binary.txt": ("rejected", "binary file (NUL bytes)"),
    "latin1.txt": ("rejected", "undecodable text (not UTF-8, UTF-16 with BOM, or Arabic in Windows-1256, "
                               "ISO-8859-6 or Mac-Arabic)"),
    "english.txt": ("rejected", "not Arabic text (Arabic letter ratio 0.00 < 0.30)"),
    "README.md": ("ignored", "not an article (README/licence/provenance file)"),
    "LICENSE": ("ignored", "not an article (README/licence/provenance file)"),
    ".hidden.txt": ("ignored", "hidden file"),
    ".git/": ("ignored", "hidden folder (1 files not read)"),
    "photo.png": ("ignored", "not an article file (extension .png)"),
    "meta.csv": ("ignored", "metadata file (joined on file path, or on file name when unique); "
                         "1 of 5 rows match no file (e.g. missing.txt)"),
}
