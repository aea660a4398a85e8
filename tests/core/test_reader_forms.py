"""The reader on the forms real livelihood articles write: numbers in characters and words, bounds,
tenths and multiples, ranges with a multiplier written once, periods, currencies and identifiers.

Every sentence below was written for this test in the style of city government reports (none is
copied from an article). Each case names one mention of its sentence and what the index must say of
it: kind, value, unit, qualifier and the high bound of a range. A ``None`` value means "no value"
(a mention that counts nothing).
"""

import math
import re

import pytest

from analysis.core.quantities import KINDS, QUALIFIERS, UNITS, find_quantities

NAN = None
# (sentence, the mention's text, kind, value, unit, qualifier, high)
CASES = [
    # --- numbers in characters -------------------------------------------------------------
    ("今年新建三所学校,均已开工。", "三所", "quantity", 3, "institutions", "exact", None),
    ("全力办好十件民生实事。", "十件", "quantity", 10, "items", "exact", None),
    ("培训农村电商人才一千二百人。", "一千二百人", "quantity", 1200, "persons", "exact", None),
    ("受益群众达十余万人。", "十余万人", "quantity", 100_000, "persons", "more_than", None),
    ("市财政安排两千四百五十万元用于老旧小区改造。", "两千四百五十万元", "quantity", 24_500_000, "yuan", "exact", None),
    ("捐赠款项壹佰伍拾万元已全部到位。", "壹佰伍拾万元", "quantity", 1_500_000, "yuan", "exact", None),
    ("城镇登记失业率下降零点五个百分点。", "零点五个百分点", "quantity", 0.5, "percentage_points", "exact", None),
    ("新增公办幼儿园学位二千四百个。", "学位二千四百个", "quantity", 2400, "seats", "exact", None),
    ("为困难家庭发放补贴三百六十五万元。", "三百六十五万元", "quantity", 3_650_000, "yuan", "exact", None),
    ("全市共建成两百个综合服务站点。", "两百个", "quantity", 200, "items", "exact", None),
    ("已投入使用的养老床位共四千零五十张。", "四千零五十张", "quantity", 4050, "beds", "exact", None),
    ("全县新改建农村公路一百零八公里。", "一百零八公里", "quantity", 108, "km", "exact", None),
    ("全年接待群众来访十二万人次。", "十二万人次", "quantity", 120_000, "person_times", "exact", None),
    ("建成社区食堂廿五处。", "廿五处", "quantity", 25, "sites", "exact", None),
    ("新增城镇就业叁万贰仟人。", "叁万贰仟人", "quantity", 32_000, "persons", "exact", None),
    ("發放創業擔保貸款一億二千萬元。", "一億二千萬元", "quantity", 120_000_000, "yuan", "exact", None),
    ("新建改建公廁兩百座。", "兩百座", "quantity", 200, "sites", "exact", None),
    ("改造提升农贸市场六个。", "六个", "quantity", 6, "items", "exact", None),
    ("开展送戏下乡演出一百二十场。", "一百二十场", "quantity", 120, "events", "exact", None),
    ("全面完成九大类民生工程。", "九大类", "quantity", 9, "items", "exact", None),
    ("区、镇两级财政配套到位。", "两", "quantity", 2, "unknown", "exact", None),
    ("实施三四个片区的雨污分流改造。", "三四个", "quantity", 3, "items", "range", 4),
    ("惠及困难群众三五千人。", "三五千人", "quantity", 3000, "persons", "range", 5000),
    # --- digits mixed with characters --------------------------------------------------------
    ("争取上级资金3千万元。", "3千万元", "quantity", 30_000_000, "yuan", "exact", None),
    ("民生支出达到1.2亿多元。", "1.2亿多元", "quantity", 120_000_000, "yuan", "more_than", None),
    ("惠及5百名留守儿童。", "5百名", "quantity", 500, "persons", "exact", None),
    ("累计发放2.5百万元消费券。", "2.5百万元", "quantity", 2_500_000, "yuan", "exact", None),
    ("新增城镇就业1.35萬人。", "1.35萬人", "quantity", 13_500, "persons", "exact", None),
    ("新增就业３．２万人。", "３．２万人", "quantity", 32_000, "persons", "exact", None),
    ("全市城乡居民医保参保126.8万人。", "126.8万人", "quantity", 1_268_000, "persons", "exact", None),
    # --- Chinese decimals and 百分之 --------------------------------------------------------
    ("城乡居民参保率达到百分之九十五点五。", "百分之九十五点五", "quantity", 95.5, "percent", "exact", None),
    ("适龄儿童入学率保持百分之百。", "百分之百", "quantity", 100, "percent", "exact", None),
    ("贫困人口发生率降至百分之零点三。", "百分之零点三", "quantity", 0.3, "percent", "exact", None),
    ("工资增长百分之8。", "百分之8", "quantity", 8, "percent", "exact", None),
    # --- English number words --------------------------------------------------------------
    ("The city set up four working groups to supervise the projects.", "four", "quantity", 4, "unknown", "exact", None),
    ("It held three promotion meetings in July.", "three promotion meetings", "quantity", 3, "events", "exact", None),
    ("Twelve new kindergartens opened this autumn.", "Twelve new kindergartens", "quantity", 12, "institutions", "exact", None),
    ("The county trained twenty-five hundred rural teachers.", "twenty-five hundred rural teachers", "quantity", 2500, "persons", "exact", None),
    ("A dozen clinics were renovated.", "A dozen clinics", "quantity", 12, "institutions", "exact", None),
    ("Two million yuan was allocated for school meals.", "Two million yuan", "quantity", 2_000_000, "yuan", "exact", None),
    ("About a third of the villages have sewage treatment.", "About a third", "quantity", 100 / 3, "percent", "about", None),
    ("Three quarters of the old communities were renovated.", "Three quarters", "quantity", 75, "percent", "exact", None),
    ("The district built one hundred and twenty public toilets.", "one hundred and twenty", "quantity", 120, "unknown", "exact", None),
    ("We hired fifteen social workers.", "fifteen social workers", "quantity", 15, "persons", "exact", None),
    # --- ordinals are not counts ------------------------------------------------------------
    ("举办第三届农民丰收节。", "第三", "ordinal", None, "", "", None),
    ("第十四届全民运动会在我市举行。", "第十四", "ordinal", None, "", "", None),
    ("一是稳就业,二是保民生。", "一是", "ordinal", None, "", "", None),
    ("其二,加快养老服务体系建设。", "其二", "ordinal", None, "", "", None),
    ("The third task is to expand childcare.", "third", "ordinal", None, "", "", None),
    ("It hosted the 12th provincial games.", "12th", "ordinal", None, "", "", None),
    ("第7批帮扶项目已启动。", "第7", "ordinal", None, "", "", None),
    # --- names and slogans ------------------------------------------------------------------
    ("十四五时期,我市将持续改善民生。", "十四五时期", "name", None, "", "", None),
    ("打造一站式政务服务大厅。", "一站式", "name", None, "", "", None),
    ("建设15分钟生活圈。", "15分钟生活圈", "name", None, "", "", None),
    ("开展“一村一年一场戏”惠民演出。", "一村一年一场戏", "name", None, "", "", None),
    ("为适龄妇女免费开展两癌筛查。", "两癌", "name", None, "", "", None),
    ("Build a 15-minute life circle in every district.", "15-minute life circle", "name", None, "", "", None),
    ("The one-stop service hall opened in May.", "one-stop", "name", None, "", "", None),
    ("推广“1+N”帮扶模式。", "1+N", "name", None, "", "", None),
    ("推进一老一小服务体系建设。", "一老一小", "name", None, "", "", None),
    # --- bounds and approximations ----------------------------------------------------------
    ("城镇调查失业率控制在不到5%。", "不到5%", "quantity", 5, "percent", "less_than", None),
    ("新建项目不足1000人的村庄全部通公交。", "不足1000人", "quantity", 1000, "persons", "less_than", None),
    ("人均等候时间低于15分钟。", "低于15分钟", "quantity", 15, "minutes", "less_than", None),
    ("每班学生少于45人。", "少于45人", "quantity", 45, "persons", "less_than", None),
    ("城镇登记失业率控制在3.5%以内。", "控制在3.5%以内", "quantity", 3.5, "percent", "at_most", None),
    ("城镇调查失业率控制在5.5%以下。", "控制在5.5%以下", "quantity", 5.5, "percent", "at_most", None),
    ("单个项目投资未超过500万元。", "未超过500万元", "quantity", 5_000_000, "yuan", "at_most", None),
    ("全市近三成的社区建成嵌入式养老机构。", "近三成", "quantity", 30, "percent", "about", None),
    ("新增就业约2.3万人。", "约2.3万人", "quantity", 23_000, "persons", "about", None),
    ("完成投资8亿元左右。", "8亿元左右", "quantity", 800_000_000, "yuan", "about", None),
    ("惠及群众1000人上下。", "1000人上下", "quantity", 1000, "persons", "about", None),
    ("大约300户居民受益。", "大约300户", "quantity", 300, "households", "about", None),
    ("发放补贴资金1.2亿多元。", "1.2亿多元", "quantity", 120_000_000, "yuan", "more_than", None),
    ("培训1200余人次。", "1200余人次", "quantity", 1200, "person_times", "more_than", None),
    ("招聘会提供岗位逾万个。", "岗位逾万个", "quantity", 10_000, "posts", "more_than", None),
    ("参与群众上万人。", "上万人", "quantity", 10_000, "persons", "at_least", None),
    ("累计服务老人超过5000人次。", "超过5000人次", "quantity", 5000, "person_times", "more_than", None),
    ("入学率不低于98%。", "不低于98%", "quantity", 98, "percent", "at_least", None),
    ("Some 1,000 people attended the job fair.", "Some 1,000 people", "quantity", 1000, "persons", "about", None),
    ("Around 300 households received the subsidy.", "Around 300 households", "quantity", 300, "households", "about", None),
    ("Roughly 4,000 students were enrolled.", "Roughly 4,000 students", "quantity", 4000, "persons", "about", None),
    ("Approximately 2.5 million yuan was spent.", "Approximately 2.5 million yuan", "quantity", 2_500_000, "yuan", "about", None),
    ("Nearly 90% of villages have clinics.", "Nearly 90%", "quantity", 90, "percent", "about", None),
    ("Almost 600 beds were added.", "Almost 600 beds", "quantity", 600, "beds", "about", None),
    ("Up to 300 yuan per month is paid.", "Up to 300 yuan per month", "quantity", 300, "yuan", "at_most", None),
    ("Class sizes are kept under 45 students.", "under 45 students", "quantity", 45, "persons", "less_than", None),
    ("The jobless rate stayed below 5.5%.", "below 5.5%", "quantity", 5.5, "percent", "less_than", None),
    ("Fewer than 200 households remain unconnected.", "Fewer than 200 households", "quantity", 200, "households", "less_than", None),
    ("Waiting times are less than 15 minutes.", "less than 15 minutes", "quantity", 15, "minutes", "less_than", None),
    ("More than 3,000 teachers were trained.", "More than 3,000 teachers", "quantity", 3000, "persons", "more_than", None),
    ("At least 20 new parks will open.", "At least 20 new parks", "quantity", 20, "sites", "at_least", None),
    ("The city added 500 nursing beds or more.", "500 nursing beds or more", "quantity", 500, "beds", "at_least", None),
    # --- tenths, per mille, multiples -------------------------------------------------------
    ("家庭医生签约服务覆盖两成以上人口。", "两成以上", "quantity", 20, "percent", "at_least", None),
    ("公交票价打八折。", "八折", "quantity", 80, "percent", "exact", None),
    ("老年人乘车享受八五折优惠。", "八五折", "quantity", 85, "percent", "exact", None),
    ("婴儿死亡率降至千分之三点五。", "千分之三点五", "quantity", 0.35, "percent", "exact", None),
    ("事故发生率在万分之三以内。", "万分之三以内", "quantity", 0.03, "percent", "at_most", None),
    ("孕产妇死亡率为5‰。", "5‰", "quantity", 0.5, "percent", "exact", None),
    ("民生投入增长1.5倍。", "1.5倍", "quantity", 1.5, "multiple", "exact", None),
    ("农村居民收入比2010年翻一番。", "翻一番", "quantity", 2, "multiple", "exact", None),
    ("力争十年内实现翻两番。", "翻两番", "quantity", 4, "multiple", "exact", None),
    ("普惠托育机构数量实现翻番。", "翻番", "quantity", 2, "multiple", "exact", None),
    ("城镇居民收入是农村的两倍。", "两倍", "quantity", 2, "multiple", "exact", None),
    ("三分之二的社区建成日间照料中心。", "三分之二", "quantity", 200 / 3, "percent", "exact", None),
    # --- ranges -----------------------------------------------------------------------------
    ("每户补助1万-5万元不等。", "1万-5万元", "quantity", 10_000, "yuan", "range", 50_000),
    ("每年吸纳就业2万至3万人。", "2万至3万人", "quantity", 20_000, "persons", "range", 30_000),
    ("收入增幅保持在10%-15%。", "10%-15%", "quantity", 10, "percent", "range", 15),
    ("补贴标准为1-2万元。", "1-2万元", "quantity", 10_000, "yuan", "range", 20_000),
    ("新建3至5所幼儿园。", "3至5所", "quantity", 3, "institutions", "range", 5),
    ("新建三至五所幼儿园。", "三至五所", "quantity", 3, "institutions", "range", 5),
    ("每人每月补贴300~500元。", "300~500元", "quantity", 300, "yuan", "range", 500),
    ("单个项目奖补5000—1万元。", "5000—1万元", "quantity", 5000, "yuan", "range", 10_000),
    ("每校配备2到3名心理教师。", "2到3名", "quantity", 2, "persons", "range", 3),
    ("增长率达到10-15%。", "10-15%", "quantity", 10, "percent", "range", 15),
    ("Each village gets between 10 and 20 solar lamps.", "between 10 and 20", "quantity", 10, "unknown", "range", 20),
    ("Grants of 10 to 20 million yuan were approved.", "10 to 20 million yuan", "quantity", 10_000_000, "yuan", "range", 20_000_000),
    ("The fee is 300–500 yuan per year.", "300–500 yuan per year", "quantity", 300, "yuan", "range", 500),
    ("The subsidy rose from 4,500 to 5,000 yuan.", "4,500", "quantity", 4500, "count", "exact", None),
    ("补助标准由每人每年4500元提高到5000元。", "5000元", "quantity", 5000, "yuan", "exact", None),
    # --- periods and dates are never quantities --------------------------------------------
    ("1-8月,全市新增城镇就业5.2万人。", "1-8月", "period", None, "", "", None),
    ("1—6月份,全县完成固定资产投资。", "1—6月份", "period", None, "", "", None),
    ("1至9月,城镇新增就业完成全年任务的90%。", "1至9月", "period", None, "", "", None),
    ("2022年1-8月,民生支出占比81%。", "2022年1-8月", "period", None, "", "", None),
    ("一至八月,共发放补贴2000万元。", "一至八月", "period", None, "", "", None),
    ("前三季度,全市民生支出增长8%。", "前三季度", "period", None, "", "", None),
    ("一季度,新增就业1.2万人。", "一季度", "period", None, "", "", None),
    ("第二季度完成投资3亿元。", "第二季度", "period", None, "", "", None),
    ("前8个月,城镇新增就业3.1万人。", "前8个月", "period", None, "", "", None),
    ("2023年上半年,全市新增就业2万人。", "2023年上半年", "period", None, "", "", None),
    ("In the first half of 2022, 21,000 jobs were created.", "first half of 2022", "period", None, "", "", None),
    ("From January to August, the city spent 1.2 billion yuan.", "January to August", "period", None, "", "", None),
    ("In the first three quarters, spending rose 8%.", "first three quarters", "period", None, "", "", None),
    ("In the first eight months of the year, 3,000 jobs were added.", "first eight months of the year", "period", None, "", "", None),
    ("二〇二二年,全市民生支出占比80%。", "二〇二二年", "year", None, "", "", None),
    ("2022年度城乡居民医保缴费标准公布。", "2022年", "year", None, "", "", None),
    ("2021-2025年,全市将新建学校30所。", "2021-2025年", "year", None, "", "", None),
    ("7月5日-8日开展集中招聘。", "7月5日-8日", "date", None, "", "", None),
    ("5-7日举办招聘会。", "5-7日", "date", None, "", "", None),
    ("上午9时,招聘会正式开幕。", "9时", "date", None, "", "", None),
    ("The hall opens at 9:30 every day.", "9:30", "date", None, "", "", None),
    ("截至6月底,全市参保人数达到120万人。", "6月底", "date", None, "", "", None),
    ("十月起,全市统一调整低保标准。", "十月", "date", None, "", "", None),
    ("五一假期期间,景区接待游客10万人次。", "五一", "date", None, "", "", None),
    ("On September 22, the city held a press conference.", "September 22", "date", None, "", "", None),
    # --- currencies -------------------------------------------------------------------------
    ("The project drew $1.6 billion of investment.", "$1.6 billion", "quantity", 1_600_000_000, "usd", "exact", None),
    ("The city invested RMB 3.5 billion in schools.", "RMB 3.5 billion", "quantity", 3_500_000_000, "yuan", "exact", None),
    ("Exports reached US$ 2.3 million.", "US$ 2.3 million", "quantity", 2_300_000, "usd", "exact", None),
    ("A loan of USD 50 million was signed.", "USD 50 million", "quantity", 50_000_000, "usd", "exact", None),
    ("The fund raised HK$ 20 million.", "HK$ 20 million", "quantity", 20_000_000, "hkd", "exact", None),
    ("Donations of €5 million arrived.", "€5 million", "quantity", 5_000_000, "eur", "exact", None),
    ("引进外资1.2亿美元。", "1.2亿美元", "quantity", 120_000_000, "usd", "exact", None),
    ("港资企业投资3000万港元。", "3000万港元", "quantity", 30_000_000, "hkd", "exact", None),
    ("获得欧洲投资银行贷款2000万欧元。", "2000万欧元", "quantity", 20_000_000, "eur", "exact", None),
    ("The school received 35.02 million yuan.", "35.02 million yuan", "quantity", 35_020_000, "yuan", "exact", None),
    ("Spending rose 22.9 percent.", "22.9 percent", "quantity", 22.9, "percent", "exact", None),
    ("Coverage rose to 95 per cent.", "95 per cent", "quantity", 95, "percent", "exact", None),
    ("The fund paid ¥3,000 to each family.", "¥3,000", "quantity", 3000, "yuan", "exact", None),
    ("每人补助500元。", "500元", "quantity", 500, "yuan", "exact", None),
    # --- identifiers ------------------------------------------------------------------------
    ("群众可拨打12345热线反映问题。", "12345", "identifier", None, "", "", None),
    ("持续提升12345政务服务便民热线办理质效。", "12345", "identifier", None, "", "", None),
    ("Residents can call the 12345 hotline.", "12345", "identifier", None, "", "", None),
    ("咨询电话:0632-3311234。", "0632-3311234", "identifier", None, "", "", None),
    ("联系人手机13805321234。", "13805321234", "identifier", None, "", "", None),
    ("详见《实施方案》(枣政办发〔2022〕12号)。", "〔2022〕12号", "identifier", None, "", "", None),
    ("邮箱:minsheng2022@example.gov.cn。", "minsheng2022@example.gov.cn", "identifier", None, "", "", None),
    ("详情见 https://www.example.gov.cn/2022/0705/123.html 。", "https://www.example.gov.cn/2022/0705/123.html", "identifier", None, "", "", None),
    ("地址:市中区光明路1号,邮编:277100。", "277100", "identifier", None, "", "", None),
    ("全市建成5G基站3000个。", "5G", "identifier", None, "", "", None),
    ("8家三级公立医院实现检查结果互认。", "三级", "identifier", None, "", "", None),
    ("新增3A级旅游景区2家。", "3A", "identifier", None, "", "", None),
    # --- words that hold numerals but are no numbers (not indexed) -------------------------
    ("进一步统一办事流程,一般事项即办。", None, None, None, None, None, None),
    ("千方百计增加百姓收入,十分重视民生。", None, None, None, None, None, None),
    ("This is one of the ten tasks.", "ten tasks", "quantity", 10, "items", "exact", None),
    ("成千上万的群众从中受益。", "成千上万", "vague", None, "", "", None),
    ("数万名群众参加了活动。", "数万", "vague", None, "", "", None),
    ("Thousands of residents joined the walk.", "Thousands of", "vague", None, "", "", None),
    # --- forms a probe of real articles found (phrased for this test) -----------------------
    ("完成老旧小区改造楼房38栋。", "38栋", "quantity", 38, "buildings", "exact", None),
    ("新植行道树420棵。", "420棵", "quantity", 420, "trees", "exact", None),
    ("全年减排1200公吨。", "1200公吨", "quantity", 1200, "tons", "exact", None),
    ("新增病床2,230病床。", "2,230病床", "quantity", 2230, "beds", "exact", None),
    ("新建改建 30 座桥梁。", "30 座", "quantity", 30, "sites", "exact", None),
    ("实施八大民生工程。", "八大", "quantity", 8, "items", "exact", None),
    ("Some 50,000 citizens joined.", "Some 50,000 citizens", "quantity", 50_000, "persons", "about", None),
    ("Crews installed 150 elevators.", "150 elevators", "quantity", 150, "sets", "exact", None),
    ("It renovated 11,433 homes.", "11,433 homes", "quantity", 11_433, "households", "exact", None),
    ("每户发放5,000澳門元。", "5,000澳門元", "quantity", 5000, "mop", "exact", None),
    ("本年度投入新台幣500億元。", "新台幣500億元", "quantity", 50_000_000_000, "twd", "exact", None),
    ("The county spent NT$2 billion.", "NT$2 billion", "quantity", 2_000_000_000, "twd", "exact", None),
    ("Each family gets MOP 10,000.", "MOP 10,000", "quantity", 10_000, "mop", "exact", None),
    ("为70岁及以上老人免费体检。", "70岁及以上", "quantity", 70, "age", "at_least", None),
    ("全年投资超500亿元。", "超500亿元", "quantity", 50_000_000_000, "yuan", "more_than", None),
    ("居民满意度达三成多。", "三成多", "quantity", 30, "percent", "more_than", None),
    ("Fees stay within 4,000 yuan.", "within 4,000 yuan", "quantity", 4000, "yuan", "at_most", None),
    ("(三)加强养老服务。", "(三)", "ordinal", None, "", "", None),
    ("02 新增托位500个。", "02", "ordinal", None, "", "", None),
    ("市十五届人大三次会议审议通过。", "十五届", "ordinal", None, "", "", None),
    ("市十五届人大三次会议审议通过。", "三次", "ordinal", None, "", "", None),
    ("地铁2号线二期工程开工。", "2号线", "identifier", None, "", "", None),
    ("地铁2号线二期工程开工。", "二期", "identifier", None, "", "", None),
    ("服务中心位于人民路88号。", "88号", "identifier", None, "", "", None),
    ("新增三星级以上酒店2家。", "三星级", "identifier", None, "", "", None),
    ("The fair opens on Mar 15 in the centre.", "Mar 15", "date", None, "", "", None),
    ("In H1 2023, 3,000 jobs were added.", "1 2023", "period", None, "", "", None),
    ("In 2022 it spent RMB 3 billion on schools.", "2022", "year", None, "", "", None),
    ("In 2022 it spent RMB 3 billion on schools.", "RMB 3 billion", "quantity", 3_000_000_000, "yuan", "exact", None),
    ("对亿元以上的项目实行专班推进。", "亿元以上", "quantity", 100_000_000, "yuan", "at_least", None),
    ("工期为2024.03-2024.11。", "2024.03-2024.11", "date", None, "", "", None),
    ("截至三季度末,新增就业3万人。", "三季度末", "period", None, "", "", None),
    ("每千人口拥有床位5.2张。", "床位5.2张", "quantity", 5.2, "beds", "exact", None),
    ("约一半的社区建成食堂。", "约一半", "quantity", 50, "percent", "about", None),
    ("It opened one elderly care center.", "one elderly care center", "quantity", 1, "sites", "exact", None),
    ("新增中小学学位共8600个。", "学位共8600个", "quantity", 8600, "seats", "exact", None),
    ("新增公益性岗位上岗1.54万人。", "1.54万人", "quantity", 15_400, "persons", "exact", None),
    ("新建养老床位共计500个。", "床位共计500个", "quantity", 500, "beds", "exact", None),
]


def _ids(c):
    return f"{c[0][:24]}|{c[1]}"


@pytest.mark.parametrize("sentence, match, kind, value, unit, qualifier, high", CASES, ids=[_ids(c) for c in CASES])
def test_each_form_reads_as_stated(sentence, match, kind, value, unit, qualifier, high):
    df = find_quantities(sentence)
    for r in df.itertuples():  # every offset slices the original text
        assert sentence[r.start:r.end] == r.match
    if match is None:  # words with numeral characters that are no numbers: nothing is indexed
        assert df.empty, df[["match", "kind"]].values.tolist()
        return
    rows = df[df["match"] == match]
    assert len(rows) == 1, (match, df[["match", "kind", "value", "unit"]].values.tolist())
    r = rows.iloc[0]
    got = (r["kind"], r["unit"], r["qualifier"])
    assert got == (kind, unit, qualifier), (got, df[["match", "kind", "value", "unit", "qualifier"]].values.tolist())
    if value is None:
        assert math.isnan(r["value"])
    else:
        assert r["value"] == pytest.approx(value, rel=1e-12)
    if high is None:
        assert r["high"] is None or math.isnan(r["high"])
    else:
        assert r["high"] == pytest.approx(high, rel=1e-12)


def test_the_table_is_broad():
    assert len(CASES) >= 150
    kinds = {c[2] for c in CASES if c[2]}
    assert kinds == set(KINDS), set(KINDS) - kinds
    assert {c[5] for c in CASES if c[5]} == set(QUALIFIERS)
    assert sum(bool(re.search(r"[\u4e00-\u9fff]", c[0])) for c in CASES) >= 80
    assert sum(c[0].isascii() for c in CASES) >= 40
    assert any(re.search("[萬億兩廁]", c[0]) for c in CASES)  # Traditional script
    assert {"usd", "hkd", "eur", "yuan"} <= {c[4] for c in CASES}


@pytest.mark.parametrize("sentence, period", [
    ("1-8月,全市新增城镇就业5.2万人。", "YYYY-M01-M08"),
    ("1—6月份,全县完成投资。", "YYYY-M01-M06"),
    ("1至9月,新增就业3万人。", "YYYY-M01-M09"),
    ("2022年1-8月,民生支出占比81%。", "2022-M01-M08"),
    ("前三季度,民生支出增长8%。", "YYYY-M01-M09"),
    ("2021年前三季度,民生支出增长8%。", "2021-M01-M09"),
    ("一季度,新增就业1.2万人。", "YYYY-M01-M03"),
    ("第四季度完成投资3亿元。", "YYYY-M10-M12"),
    ("前8个月,新增就业3.1万人。", "YYYY-M01-M08"),
    ("2023年上半年,新增就业2万人。", "2023-H1"),
    ("2023年下半年,将新建学校2所。", "2023-H2"),
    ("In the first half of 2022, 21,000 jobs were created.", "2022-H1"),
    ("From January to August, the city spent 1.2 billion yuan.", "YYYY-M01-M08"),
    ("In the first three quarters, spending rose 8%.", "YYYY-M01-M09"),
    ("In the first eight months, 3,000 jobs were added.", "YYYY-M01-M08"),
])
def test_a_period_carries_its_code(sentence, period):
    df = find_quantities(sentence)
    periods = df[df["kind"] == "period"]
    assert periods["period"].tolist() == [period]
    from analysis.core.periods import check_period

    check_period(period.replace("YYYY", "2022"))
    assert not (df["kind"].eq("quantity") & df["value"].eq(1)).any(), "a month range read as the quantity 1"


def test_every_unit_of_the_table_is_documented():
    used = {c[4] for c in CASES if c[4]}
    assert used <= set(UNITS)


def test_a_foreign_currency_is_never_yuan():
    for text in ("$5 million", "US$ 5 million", "USD 5 million", "5 million US dollars", "500万美元", "HK$ 5 million",
                 "500万港元", "€5 million", "5 million euros", "500万欧元", "500万日元", "500万英镑"):
        df = find_quantities(text)
        q = df[df["kind"] == "quantity"]
        assert len(q) == 1 and q.iloc[0]["unit"] not in ("yuan", "count", "unknown"), (text, q.values.tolist())


# Every short form issue 20 names, as the issue writes it (value, unit, qualifier, high; None: no value)
ISSUE_EXAMPLES = [
    ("1-8月", "period", None, "", "", None), ("1—6月", "period", None, "", "", None), ("1至9月", "period", None, "", "", None),
    ("新建三所学校", "quantity", 3, "institutions", "exact", None), ("十件民生实事", "quantity", 10, "items", "exact", None),
    ("一千二百人", "quantity", 1200, "persons", "exact", None), ("十余万人", "quantity", 100_000, "persons", "more_than", None),
    ("两千四百五十万元", "quantity", 24_500_000, "yuan", "exact", None),
    ("壹佰伍拾万元", "quantity", 1_500_000, "yuan", "exact", None),
    ("零点五个百分点", "quantity", 0.5, "percentage_points", "exact", None),
    ("four working groups", "quantity", 4, "unknown", "exact", None),
    ("three promotion meetings", "quantity", 3, "events", "exact", None),
    ("3千万元", "quantity", 30_000_000, "yuan", "exact", None), ("不到5%", "quantity", 5, "percent", "less_than", None),
    ("不足1000人", "quantity", 1000, "persons", "less_than", None),
    ("some 1,000 people", "quantity", 1000, "persons", "about", None),
    ("两成", "quantity", 20, "percent", "exact", None), ("近三成", "quantity", 30, "percent", "about", None),
    ("万分之三", "quantity", 0.03, "percent", "exact", None), ("增长1.5倍", "quantity", 1.5, "multiple", "exact", None),
    ("1万-5万元", "quantity", 10_000, "yuan", "range", 50_000), ("2万至3万人", "quantity", 20_000, "persons", "range", 30_000),
    ("$1.6 billion", "quantity", 1.6e9, "usd", "exact", None), ("RMB 3.5 billion", "quantity", 3.5e9, "yuan", "exact", None),
    ("拨打12345热线", "identifier", None, "", "", None), ("1.2亿多元", "quantity", 1.2e8, "yuan", "more_than", None),
    ("5百人", "quantity", 500, "persons", "exact", None), ("九十五点五%", "quantity", 95.5, "percent", "exact", None),
    ("百分之九十五点五", "quantity", 95.5, "percent", "exact", None), ("a third of them", "quantity", 100 / 3, "percent", "exact", None),
    ("第三", "ordinal", None, "", "", None), ("the third task", "ordinal", None, "", "", None),
    ("“一村一年一场戏”", "name", None, "", "", None), ("一站式服务", "name", None, "", "", None),
    ("十四五", "name", None, "", "", None), ("15分钟生活圈", "name", None, "", "", None),
    ("3%以内", "quantity", 3, "percent", "at_most", None), ("300人以下", "quantity", 300, "persons", "at_most", None),
    ("未超过3%", "quantity", 3, "percent", "at_most", None), ("上下浮动不超过5%", "quantity", 5, "percent", "at_most", None),
    ("低于3%", "quantity", 3, "percent", "less_than", None), ("少于40人", "quantity", 40, "persons", "less_than", None),
    ("近5000户", "quantity", 5000, "households", "about", None), ("约3亿元", "quantity", 3e8, "yuan", "about", None),
    ("300户左右", "quantity", 300, "households", "about", None), ("500人上下", "quantity", 500, "persons", "about", None),
    ("大约20所", "quantity", 20, "institutions", "about", None), ("3000余人", "quantity", 3000, "persons", "more_than", None),
    ("2万多人", "quantity", 20_000, "persons", "more_than", None),
    ("around 300 households", "quantity", 300, "households", "about", None),
    ("roughly 300 households", "quantity", 300, "households", "about", None),
    ("approximately 300 households", "quantity", 300, "households", "about", None),
    ("nearly 300 households", "quantity", 300, "households", "about", None),
    ("almost 300 households", "quantity", 300, "households", "about", None),
    ("up to 300 households", "quantity", 300, "households", "at_most", None),
    ("under 300 households", "quantity", 300, "households", "less_than", None),
    ("below 3%", "quantity", 3, "percent", "less_than", None),
    ("fewer than 300 households", "quantity", 300, "households", "less_than", None),
    ("less than 3%", "quantity", 3, "percent", "less_than", None),
    ("八折", "quantity", 80, "percent", "exact", None), ("千分之五", "quantity", 0.5, "percent", "exact", None),
    ("翻一番", "quantity", 2, "multiple", "exact", None), ("翻番", "quantity", 2, "multiple", "exact", None),
    ("10%-15%", "quantity", 10, "percent", "range", 15), ("10–15所", "quantity", 10, "institutions", "range", 15),
    ("10—15所", "quantity", 10, "institutions", "range", 15), ("10~15所", "quantity", 10, "institutions", "range", 15),
    ("10到15所", "quantity", 10, "institutions", "range", 15), ("10 to 15 schools", "quantity", 10, "institutions", "range", 15),
    ("between 10 and 15 schools", "quantity", 10, "institutions", "range", 15),
    ("1—6月份", "period", None, "", "", None), ("5日-8日", "date", None, "", "", None),
    ("前三季度", "period", None, "", "", None), ("一季度", "period", None, "", "", None),
    ("二〇二二年", "year", None, "", "", None), ("2022年度", "year", None, "", "", None), ("下午3点", "date", None, "", "", None),
    ("500元", "quantity", 500, "yuan", "exact", None), ("5万元", "quantity", 50_000, "yuan", "exact", None),
    ("5亿元", "quantity", 5e8, "yuan", "exact", None), ("CNY 5 million", "quantity", 5e6, "yuan", "exact", None),
    ("5 million yuan", "quantity", 5e6, "yuan", "exact", None), ("US$5 million", "quantity", 5e6, "usd", "exact", None),
    ("USD 5 million", "quantity", 5e6, "usd", "exact", None), ("500万美元", "quantity", 5e6, "usd", "exact", None),
    ("HK$5 million", "quantity", 5e6, "hkd", "exact", None), ("5 million euros", "quantity", 5e6, "eur", "exact", None),
    ("5 percent", "quantity", 5, "percent", "exact", None), ("5 per cent", "quantity", 5, "percent", "exact", None),
    ("电话0632-3311234", "identifier", None, "", "", None), ("info@city.gov.cn", "identifier", None, "", "", None),
    ("www.city.gov.cn", "identifier", None, "", "", None), ("〔2022〕12号", "identifier", None, "", "", None),
    ("邮编277100", "identifier", None, "", "", None),
]


@pytest.mark.parametrize("text, kind, value, unit, qualifier, high", ISSUE_EXAMPLES, ids=[e[0] for e in ISSUE_EXAMPLES])
def test_every_example_of_the_issue(text, kind, value, unit, qualifier, high):
    df = find_quantities(text)
    assert len(df) == 1, df[["match", "kind", "value", "unit"]].values.tolist()
    r = df.iloc[0]
    assert (r["kind"], r["unit"], r["qualifier"]) == (kind, unit, qualifier), df[["match", "kind", "value", "unit", "qualifier"]].values.tolist()
    if value is None:
        assert math.isnan(r["value"])
    else:
        assert r["value"] == pytest.approx(value, rel=1e-12)
    assert (high is None and (r["high"] is None or math.isnan(r["high"]))) or r["high"] == pytest.approx(high)
