/**
 * The fixed cast of the demo station: its people, fault categories, parts catalog and
 * the vocabulary the generator draws customers, devices and remarks from.
 */
import type { FollowUpChannel, UserRole } from '../../shared/domain';

export const DEMO_STATION = {
	code: 'DEMO',
	name: '示范服务站',
	timeZone: 'Asia/Shanghai'
} as const;

/**
 * How a technician works. The numbers are chosen so that the KPIs differ visibly and the
 * technicians straddle the default pass/excellent thresholds of kpi.md.
 */
export interface TechnicianProfile {
	login: string;
	name: string;
	/** Relative share of the jobs dispatched to this technician. */
	workload: number;
	/** Chance that a visit ends with the fault fixed. */
	fixRate: number;
	/** Chance that a fixed device fails again within the rework window. */
	relapseRate: number;
	/** Repair minutes relative to the category's standard minutes. */
	speed: number;
	/** Median hours from the customer's report to the technician's arrival. */
	responseHours: number;
	/** 0–1: how strongly customers lean towards 5 stars when the repair went well. */
	charm: number;
	/** Share of completed jobs whose customer is called back. */
	followUpRate: number;
	/** Share of completed jobs with a data-quality problem in the record. */
	sloppiness: number;
	/** Relative number of part lines used per job. */
	partsAppetite: number;
	/** Days before "now" the technician joined; absent: here for the whole history. */
	joinedDaysAgo?: number;
}

export const DEMO_TECHNICIANS: readonly TechnicianProfile[] = [
	{
		login: 'zhangwei',
		name: '张伟',
		workload: 1.2,
		fixRate: 0.975,
		relapseRate: 0.012,
		speed: 0.88,
		responseHours: 4,
		charm: 0.9,
		followUpRate: 0.93,
		sloppiness: 0.01,
		partsAppetite: 1
	},
	{
		login: 'lina',
		name: '李娜',
		workload: 1.0,
		fixRate: 0.965,
		relapseRate: 0.015,
		speed: 1.18,
		responseHours: 7,
		charm: 0.97,
		followUpRate: 0.96,
		sloppiness: 0.012,
		partsAppetite: 0.85
	},
	{
		login: 'wangqiang',
		name: '王强',
		workload: 1.15,
		fixRate: 0.89,
		relapseRate: 0.06,
		speed: 0.78,
		responseHours: 5,
		charm: 0.6,
		followUpRate: 0.7,
		sloppiness: 0.05,
		partsAppetite: 1.5
	},
	{
		login: 'liuyang',
		name: '刘洋',
		workload: 1.0,
		fixRate: 0.94,
		relapseRate: 0.03,
		speed: 1.03,
		responseHours: 9,
		charm: 0.8,
		followUpRate: 0.86,
		sloppiness: 0.02,
		partsAppetite: 1
	},
	{
		login: 'chenjing',
		name: '陈静',
		workload: 1.0,
		fixRate: 0.955,
		relapseRate: 0.02,
		speed: 0.98,
		responseHours: 2.5,
		charm: 0.88,
		followUpRate: 0.95,
		sloppiness: 0.004,
		partsAppetite: 0.9
	},
	{
		login: 'yanglei',
		name: '杨磊',
		workload: 0.9,
		fixRate: 0.93,
		relapseRate: 0.035,
		speed: 1.1,
		responseHours: 22,
		charm: 0.7,
		followUpRate: 0.8,
		sloppiness: 0.025,
		partsAppetite: 1.1
	},
	{
		login: 'zhaomin',
		name: '赵敏',
		workload: 0.8,
		fixRate: 0.9,
		relapseRate: 0.045,
		speed: 1.35,
		responseHours: 12,
		charm: 0.85,
		followUpRate: 0.88,
		sloppiness: 0.03,
		partsAppetite: 1.2,
		joinedDaysAgo: 45
	},
	{
		login: 'huangtao',
		name: '黄涛',
		workload: 1.0,
		fixRate: 0.935,
		relapseRate: 0.03,
		speed: 1.0,
		responseHours: 11,
		charm: 0.75,
		followUpRate: 0.75,
		sloppiness: 0.12,
		partsAppetite: 1
	}
];

export const DEMO_SUPERVISOR = { login: 'supervisor', name: '周建国' } as const;
export const DEMO_ADMIN = { login: 'admin', name: '站点管理员' } as const;
/** The station desk (信息员): takes the customers' calls and dispatches the jobs. */
export const DEMO_DESK = { login: 'desk', name: '孙丽' } as const;

export interface DemoAccount {
	login: string;
	name: string;
	role: UserRole;
}

/** Every account of the demo station; their passwords are made when the demo is (passwords.ts). */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
	{ ...DEMO_ADMIN, role: 'admin' },
	{ ...DEMO_SUPERVISOR, role: 'supervisor' },
	{ ...DEMO_DESK, role: 'dispatcher' },
	...DEMO_TECHNICIANS.map((t) => ({ login: t.login, name: t.name, role: 'technician' as const }))
];

export type ProductKind = 'ac' | 'fridge' | 'washer' | 'heater';

export const PRODUCT_MODELS: Record<ProductKind, readonly string[]> = {
	ac: ['KFR-26GW/BP3DN1', 'KFR-35GW/BP3DN8Y', 'KFR-50LW/BP2DN1', 'KFR-72LW/BP3DN1'],
	fridge: ['BCD-218WDPF', 'BCD-450WDPZ', 'BCD-520WKPZM'],
	washer: ['XQG100-B14126', 'XQB80-Z6188', 'XQG80-HB14'],
	heater: ['EC6001-MC3', 'JSQ25-13UTS', 'EC8002-D6']
};

/** Serial numbers start with a per-kind prefix, as printed on the nameplate. */
export const SERIAL_PREFIX: Record<ProductKind, string> = {
	ac: 'KT',
	fridge: 'BX',
	washer: 'XY',
	heater: 'RS'
};

export interface DemoPartSpec {
	sku: string;
	name: string;
	unit: '个' | '米' | '套' | '台';
	/** Current catalog cost in fen, so money never passes through floats. */
	costFen: number;
	/** Was cheaper before the demo's price change (PRICE_RISE_DAYS_AGO), at this factor. */
	formerPriceFactor?: number;
}

export const DEMO_PARTS: readonly DemoPartSpec[] = [
	{ sku: 'AC-CAP-35', name: '压缩机启动电容 35μF', unit: '个', costFen: 2850 },
	{ sku: 'AC-CAP-FAN', name: '风机电容 2.5μF', unit: '个', costFen: 1280 },
	{ sku: 'AC-R32', name: 'R32 冷媒加注套装', unit: '套', costFen: 18500, formerPriceFactor: 0.9 },
	{ sku: 'AC-CU-6', name: '铜管 φ6.35', unit: '米', costFen: 1860, formerPriceFactor: 0.92 },
	{ sku: 'AC-CU-9', name: '铜管 φ9.52', unit: '米', costFen: 2480, formerPriceFactor: 0.92 },
	{ sku: 'AC-INSUL', name: '保温棉管', unit: '米', costFen: 450 },
	{ sku: 'AC-DRAIN', name: '空调排水管', unit: '米', costFen: 320 },
	{ sku: 'AC-PCB-IN', name: '空调内机主板', unit: '个', costFen: 26800 },
	{ sku: 'AC-PCB-OUT', name: '空调外机主板', unit: '个', costFen: 35600 },
	{ sku: 'AC-FAN-IN', name: '内机贯流风扇电机', unit: '个', costFen: 16500 },
	{ sku: 'AC-FAN-OUT', name: '外机轴流风扇电机', unit: '个', costFen: 19800 },
	{ sku: 'AC-SENSOR', name: '温度传感器', unit: '个', costFen: 1500 },
	{ sku: 'AC-REMOTE', name: '空调遥控器', unit: '个', costFen: 3500 },
	{ sku: 'AC-BRACKET', name: '空调外机支架', unit: '套', costFen: 8800 },
	{ sku: 'AC-VALVE4', name: '四通阀', unit: '个', costFen: 14200 },
	{ sku: 'AC-DISPLAY', name: '空调显示板', unit: '个', costFen: 9600 },
	{ sku: 'AC-COMP', name: '空调压缩机', unit: '台', costFen: 98000, formerPriceFactor: 0.95 },
	{ sku: 'FR-THERMO', name: '冰箱温控器', unit: '个', costFen: 4500 },
	{ sku: 'FR-DEFROST', name: '化霜加热管', unit: '个', costFen: 5800 },
	{ sku: 'FR-FAN', name: '冷冻室风扇电机', unit: '个', costFen: 7200 },
	{ sku: 'FR-SEAL', name: '冰箱门封条', unit: '个', costFen: 6500 },
	{ sku: 'FR-PCB', name: '冰箱主控板', unit: '个', costFen: 23800 },
	{ sku: 'FR-PTC', name: 'PTC 启动器', unit: '个', costFen: 2250 },
	{ sku: 'FR-COMP', name: '冰箱压缩机', unit: '台', costFen: 62000, formerPriceFactor: 0.95 },
	{ sku: 'WM-PUMP', name: '洗衣机排水泵', unit: '个', costFen: 7800 },
	{ sku: 'WM-INLET', name: '洗衣机进水管', unit: '个', costFen: 2600 },
	{ sku: 'WM-DRAIN', name: '洗衣机排水管', unit: '米', costFen: 850 },
	{ sku: 'WM-BELT', name: '传动皮带', unit: '个', costFen: 3200 },
	{ sku: 'WM-BEARING', name: '滚筒轴承套件', unit: '套', costFen: 12500 },
	{ sku: 'WM-LOCK', name: '门锁开关', unit: '个', costFen: 4800 },
	{ sku: 'WM-PCB', name: '洗衣机电脑板', unit: '个', costFen: 28500 },
	{ sku: 'WM-SHOCK', name: '减震器', unit: '套', costFen: 9600 },
	{ sku: 'WH-HEATER', name: '热水器加热管', unit: '个', costFen: 8800 },
	{ sku: 'WH-ANODE', name: '镁棒', unit: '个', costFen: 3500 },
	{ sku: 'WH-THERMO', name: '热水器温控器', unit: '个', costFen: 4200 },
	{ sku: 'WH-VALVE', name: '泄压安全阀', unit: '个', costFen: 3800 },
	{ sku: 'WH-IGNITER', name: '燃气热水器点火器', unit: '个', costFen: 6600 },
	{ sku: 'GEN-FUSE', name: '保险管', unit: '个', costFen: 250 },
	{ sku: 'GEN-CORD', name: '电源线', unit: '米', costFen: 1200 },
	{ sku: 'GEN-KIT', name: '安装辅材包', unit: '套', costFen: 4500 }
];

/** The parts price change happened this many days before "now". */
export const PRICE_RISE_DAYS_AGO = 75;

export interface DemoCategorySpec {
	code: string;
	name: string;
	standardMinutes: number;
	/** Relative frequency among reported faults. */
	frequency: number;
	/** Multiplies the technician's fix rate: below 1 for the hard ones. */
	ease: number;
	/** Which products report this fault, with relative frequency. */
	products: Partial<Record<ProductKind, number>>;
	/** Parts a repair of this kind may use, per product, with how often each is needed. */
	parts: Partial<Record<ProductKind, readonly (readonly [string, number])[]>>;
	/** Part lines per repair: the chance of 0, 1, 2 and 3 lines. */
	lineOdds: readonly [number, number, number, number];
	descriptions: readonly string[];
}

export const DEMO_CATEGORIES: readonly DemoCategorySpec[] = [
	{
		code: 'COOLING',
		name: '制冷不良',
		standardMinutes: 90,
		frequency: 18,
		ease: 0.98,
		products: { ac: 3, fridge: 1 },
		parts: {
			ac: [
				['AC-R32', 4],
				['AC-CAP-35', 3],
				['AC-SENSOR', 2],
				['AC-CU-6', 1],
				['AC-COMP', 0.3]
			],
			fridge: [
				['FR-THERMO', 4],
				['FR-FAN', 3],
				['FR-PTC', 2],
				['FR-DEFROST', 1],
				['FR-COMP', 0.4]
			]
		},
		lineOdds: [0.3, 0.4, 0.2, 0.1],
		descriptions: [
			'开机后不制冷，出风口是常温风',
			'制冷效果差，室温降不下来',
			'冷藏室温度偏高',
			'运行一段时间后停止制冷'
		]
	},
	{
		code: 'HEATING',
		name: '制热不良',
		standardMinutes: 90,
		frequency: 8,
		ease: 0.97,
		products: { ac: 1, heater: 1 },
		parts: {
			ac: [
				['AC-VALVE4', 4],
				['AC-SENSOR', 3],
				['AC-R32', 2],
				['AC-PCB-OUT', 1]
			],
			heater: [
				['WH-HEATER', 4],
				['WH-THERMO', 3],
				['WH-IGNITER', 2]
			]
		},
		lineOdds: [0.3, 0.45, 0.2, 0.05],
		descriptions: [
			'制热模式吹冷风',
			'热水不热，温度上不去',
			'燃气热水器打不着火',
			'制热几分钟后自动停机'
		]
	},
	{
		code: 'NO_POWER',
		name: '不通电',
		standardMinutes: 45,
		frequency: 10,
		ease: 1,
		products: { ac: 2, fridge: 1, washer: 2, heater: 1 },
		parts: {
			ac: [
				['GEN-FUSE', 4],
				['GEN-CORD', 3],
				['AC-PCB-IN', 1]
			],
			fridge: [
				['GEN-FUSE', 4],
				['GEN-CORD', 3],
				['FR-PCB', 2]
			],
			washer: [
				['GEN-FUSE', 4],
				['GEN-CORD', 3],
				['WM-PCB', 2]
			],
			heater: [
				['GEN-FUSE', 4],
				['GEN-CORD', 3],
				['WH-THERMO', 2]
			]
		},
		lineOdds: [0.35, 0.45, 0.15, 0.05],
		descriptions: [
			'插电后完全没反应',
			'按开机键无反应，指示灯不亮',
			'一开机就跳闸',
			'电源灯闪一下后熄灭'
		]
	},
	{
		code: 'LEAK',
		name: '漏水',
		standardMinutes: 60,
		frequency: 12,
		ease: 0.99,
		products: { ac: 3, washer: 2, heater: 1 },
		parts: {
			ac: [
				['AC-DRAIN', 4],
				['AC-INSUL', 3]
			],
			washer: [
				['WM-INLET', 4],
				['WM-DRAIN', 3],
				['WM-PUMP', 2]
			],
			heater: [['WH-VALVE', 4]]
		},
		lineOdds: [0.4, 0.4, 0.15, 0.05],
		descriptions: [
			'内机滴水，墙面有水渍',
			'洗衣时底部漏水',
			'热水器安全阀一直滴水',
			'进水管接头渗水'
		]
	},
	{
		code: 'NOISE',
		name: '噪音异常',
		standardMinutes: 60,
		frequency: 10,
		ease: 0.97,
		products: { ac: 2, fridge: 1, washer: 2 },
		parts: {
			ac: [
				['AC-FAN-IN', 4],
				['AC-FAN-OUT', 3],
				['AC-CAP-FAN', 2]
			],
			fridge: [
				['FR-FAN', 4],
				['FR-COMP', 0.4]
			],
			washer: [
				['WM-BEARING', 4],
				['WM-SHOCK', 3],
				['WM-BELT', 2]
			]
		},
		lineOdds: [0.35, 0.45, 0.15, 0.05],
		descriptions: [
			'外机运行时有异响',
			'脱水时噪音很大，机身晃动',
			'冰箱嗡嗡声比以前大',
			'内机有咔咔声'
		]
	},
	{
		code: 'DISPLAY',
		name: '显示故障',
		standardMinutes: 30,
		frequency: 8,
		ease: 1,
		products: { ac: 2, washer: 1, heater: 1 },
		parts: {
			ac: [
				['AC-DISPLAY', 4],
				['AC-REMOTE', 3]
			],
			washer: [['WM-PCB', 4]],
			heater: [['WH-THERMO', 4]]
		},
		lineOdds: [0.45, 0.45, 0.1, 0],
		descriptions: ['显示屏不亮', '显示乱码', '显示错误代码 E1', '遥控器操作无显示']
	},
	{
		code: 'BOARD',
		name: '主板故障',
		standardMinutes: 75,
		frequency: 8,
		ease: 0.95,
		products: { ac: 2, fridge: 1, washer: 1 },
		parts: {
			ac: [
				['AC-PCB-IN', 1],
				['AC-PCB-OUT', 1],
				['AC-SENSOR', 2]
			],
			fridge: [
				['FR-PCB', 4],
				['FR-THERMO', 3]
			],
			washer: [
				['WM-PCB', 4],
				['WM-LOCK', 3]
			]
		},
		lineOdds: [0.15, 0.6, 0.2, 0.05],
		descriptions: [
			'报通讯故障，整机不工作',
			'主板烧焦味，无法开机',
			'程序紊乱，按键失灵',
			'间歇性自动断电'
		]
	},
	{
		code: 'DRAIN',
		name: '排水不畅',
		standardMinutes: 45,
		frequency: 9,
		ease: 1,
		products: { washer: 3, ac: 1 },
		parts: {
			washer: [
				['WM-PUMP', 4],
				['WM-DRAIN', 3]
			],
			ac: [['AC-DRAIN', 4]]
		},
		lineOdds: [0.45, 0.4, 0.15, 0],
		descriptions: ['洗完衣服桶里有积水', '排水慢，报排水故障', '空调冷凝水排不出去']
	},
	{
		code: 'INSTALL',
		name: '安装调试',
		standardMinutes: 150,
		frequency: 12,
		ease: 1,
		products: { ac: 4, heater: 1, washer: 1 },
		parts: {
			ac: [
				['AC-BRACKET', 4],
				['AC-CU-6', 3],
				['AC-CU-9', 2],
				['AC-INSUL', 1],
				['GEN-KIT', 1]
			],
			heater: [
				['GEN-KIT', 4],
				['WH-VALVE', 3]
			],
			washer: [
				['GEN-KIT', 4],
				['WM-INLET', 3]
			]
		},
		lineOdds: [0.1, 0.3, 0.35, 0.25],
		descriptions: ['新机安装', '移机安装', '新购热水器上门安装', '安装后试机调试']
	},
	{
		code: 'REFRIGERANT',
		name: '冷媒泄漏',
		standardMinutes: 180,
		frequency: 5,
		ease: 0.93,
		products: { ac: 3, fridge: 1 },
		parts: {
			ac: [
				['AC-R32', 4],
				['AC-CU-6', 3],
				['AC-CU-9', 2]
			],
			fridge: [
				['FR-COMP', 0.4],
				['FR-PTC', 3]
			]
		},
		lineOdds: [0.05, 0.45, 0.35, 0.15],
		descriptions: ['连接管处有油渍，疑似漏氟', '加氟后不久又不制冷', '冷凝器焊点泄漏']
	}
];

export const CUSTOMER_SURNAMES = [
	'王',
	'李',
	'张',
	'刘',
	'陈',
	'杨',
	'黄',
	'赵',
	'吴',
	'周',
	'徐',
	'孙',
	'马',
	'朱',
	'胡',
	'郭',
	'何',
	'高',
	'林',
	'罗'
] as const;

export const CUSTOMER_GIVEN_NAMES = [
	'建华',
	'秀英',
	'志强',
	'丽',
	'敏',
	'静',
	'磊',
	'洋',
	'勇',
	'艳',
	'杰',
	'娟',
	'涛',
	'明',
	'超',
	'霞',
	'平',
	'刚',
	'桂英',
	'文博'
] as const;

export const DISTRICTS = [
	'浦东新区',
	'徐汇区',
	'闵行区',
	'静安区',
	'长宁区',
	'普陀区',
	'杨浦区',
	'宝山区'
] as const;

export const ROADS = [
	'张杨路',
	'漕溪北路',
	'莘庄路',
	'共和新路',
	'天山路',
	'曹杨路',
	'国定路',
	'牡丹江路',
	'锦绣路',
	'虹梅路'
] as const;

/** How the desk follows up a job (customers' survey answers come as channel 'other'). */
export const DESK_CHANNEL_ODDS: readonly (readonly [FollowUpChannel, number])[] = [
	['phone', 0.82],
	['sms', 0.18]
];

export const FOLLOW_UP_COMMENTS = {
	unreachable: ['电话未接通', '无人接听，稍后再联系', '客户在忙，约定改天回访'],
	happy: ['客户表示满意', '师傅很专业，准时上门', '服务态度好', '维修及时，已正常使用'],
	neutral: ['基本满意，希望上门更快些', '收费有点贵', '等待时间较长'],
	unhappy: ['故障依旧，要求再次上门', '问题没有解决', '修好两天又坏了', '对维修结果不满意'],
	/** A technician's own notes: what they saw or were told, no rating. */
	technicianNotes: [
		'上门复查，设备运行正常',
		'电话询问：客户说已正常使用',
		'提醒客户定期清洗滤网',
		'客户反映有轻微异响，已约复查',
		'已向客户说明保养方法'
	]
} as const;

export const JOB_NOTES = [
	'客户要求下午上门',
	'已告知保修期外收费标准',
	'在保修期内，免费维修',
	'客户自购配件，仅收人工费',
	'小区需登记后进入',
	'已拍照留存故障部位'
] as const;

export const AWAITING_PARTS_NOTE = '等待配件到货';
