# Overrides of Django's zh_Hans formats (django/conf/locale/zh_Hans/formats.py); the rest is
# Django's. Django groups digits by four with no separator (12345678), which is hard to read in
# a counter; Chinese sites show counts as English does: 知乎 writes "1,234 人赞同了该回答".
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
# Month and day without a leading zero, as every other date on the site is written: Django's
# "m月j日" put "09月8日" on the reputation chart beside "12月6日".
MONTH_DAY_FORMAT = "n月j日"
