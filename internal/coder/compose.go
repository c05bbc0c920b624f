package coder

// CAMEO builds its appeal (02), intent (03), demand (10) and refusal (12)
// codes from the action they are about: "agreed to hold talks" is 036, "called
// for talks" 026, "demanded talks" 106, "rejected talks" 125. When a framing
// verb ends in "to"/"for" and the next words code an action of roots 04–08, the
// two compose into one event with the framed code.
//
// content code → codes under the frames 02, 03, 10, 12.
var frames = map[string][4]string{
	"040": {"026", "036", "106", "125"}, "041": {"026", "036", "106", "125"}, "042": {"026", "036", "106", "125"},
	"043": {"026", "036", "106", "125"}, "044": {"026", "036", "106", "125"}, "046": {"026", "036", "106", "125"},
	"045": {"028", "039", "108", "126"},
	"050": {"022", "032", "102", "120"}, "051": {"022", "032", "102", "120"}, "052": {"022", "032", "102", "120"},
	"053": {"022", "032", "102", "120"}, "054": {"022", "032", "102", "120"}, "055": {"022", "032", "102", "120"},
	"056": {"022", "032", "102", "120"}, "057": {"027", "037", "107", "127"},
	"060": {"021", "031", "101", "121"}, "061": {"0211", "0311", "1011", "1211"}, "062": {"0212", "0312", "1012", "1212"},
	"063": {"0213", "0313", "1013", "1213"}, "064": {"0214", "0314", "1014", "1214"},
	"070": {"023", "033", "103", "122"}, "071": {"0231", "0331", "1031", "1221"}, "072": {"0232", "0332", "1032", "1222"},
	"073": {"0233", "0333", "1033", "1223"}, "074": {"0234", "0334", "1034", "1224"}, "075": {"023", "033", "103", "122"},
	"080": {"025", "035", "105", "124"},
	"081": {"0251", "0351", "1051", "1241"}, "0811": {"0251", "0351", "1051", "1241"}, "0812": {"0251", "0351", "1051", "1241"},
	"0813": {"0251", "0351", "1051", "1241"}, "0814": {"0251", "0351", "1051", "1241"},
	"082": {"0252", "0352", "1052", "1242"},
	"083": {"024", "034", "104", "123"}, "0831": {"0241", "0341", "1041", "1231"}, "0832": {"0242", "0342", "1042", "1232"},
	"0833": {"0243", "0343", "1043", "1233"}, "0834": {"0244", "0344", "1044", "1234"},
	"084": {"0253", "0353", "1053", "1243"}, "0841": {"0253", "0353", "1053", "1243"}, "0842": {"0253", "0353", "1053", "1243"},
	"085": {"0254", "0354", "1054", "1244"},
	"086": {"0255", "0355", "1055", "1245"}, "0861": {"0255", "0355", "1055", "1245"}, "0862": {"0255", "0355", "1055", "1245"},
	"0863": {"0255", "0355", "1055", "1245"},
	"087":  {"0256", "0356", "1056", "1246"}, "0871": {"0256", "0356", "1056", "1246"}, "0872": {"0256", "0356", "1056", "1246"},
	"0873": {"0256", "0356", "1056", "1246"}, "0874": {"0256", "0356", "1056", "1246"},
}

// threats: "threatened to impose sanctions" is 1312, "to attack" 1384.
var threats = map[string]string{
	"160": "131", "161": "1313", "162": "1311", "1621": "1311", "1622": "1311", "1623": "1311", "163": "1312",
	"164": "134", "165": "135", "166": "136", "1661": "136", "1662": "136", "1663": "136",
	"172": "132", "1721": "1321", "1722": "1322", "1723": "1323", "1724": "1324", "175": "137",
	"140": "133", "141": "133", "143": "133", "145": "133",
	"180": "1383", "181": "1383", "182": "1383", "183": "1383", "1831": "1383", "184": "1383", "185": "1383", "186": "1383",
	"190": "1384", "191": "1381", "192": "1382", "193": "1384", "194": "1384", "195": "1384", "196": "1384",
	"200": "1385", "201": "1385", "202": "1385", "203": "1385", "204": "1385",
}

// compose returns the code of content framed by frameRoot ("02", "03", "10",
// "12"), or "" when CAMEO has no such code.
func compose(frameRoot, content string) string {
	if frameRoot == "13" {
		if c, ok := threats[content]; ok {
			return c
		}
		if len(content) >= 3 && content[:2] == "14" && content[2] != '5' {
			return "133" // "voted to strike over pension cuts": any protest short of a riot
		}
		return ""
	}
	f, ok := frames[content]
	if !ok {
		return ""
	}
	switch frameRoot {
	case "02":
		return f[0]
	case "03":
		return f[1]
	case "10":
		return f[2]
	case "12":
		return f[3]
	}
	return ""
}

// intentWords before a cooperative action make it a statement of intent: PLOVER
// codes future CONSULT, SUPPORT, COOPERATE and AID as AGREE, and CAMEO has 03x
// for each ("will visit" is 036, "ready to send troops" 0334).
var intentWords = map[string]bool{
	"will": true, "would": true, "'ll": true, "shall": true, "ready": true, "willing": true, "prepared": true,
	"plans": true, "plan": true, "planned": true, "planning": true, "intends": true, "intend": true, "intended": true,
	"expects": true, "offered": true, "offers": true, "offer": true, "pledged": true, "promised": true, "vowed": true,
	"pledge": true, "pledges": true, "promise": true, "promises": true, "vow": true, "vows": true, "swore": true,
	"sworn": true, "swear": true, "swears": true, "intention": true, "determined": true, "resolved": true,
	"agreed": true, "agrees": true, "agree": true, "decided": true, "hopes": true, "hoped": true, "hoping": true, "hope": true, "wants": true,
	"wanted": true, "seeks": true, "sought": true, "aims": true, "going": true,
	"voted": true, "vote": true, "votes": true, // "voted to strike on 5 November": decided, not done
}

// refusal is the refusal (12x) of an action or of an intent to act (03x):
// "no desire to offer concessions" (035) refuses to yield (124).
func refusal(code string) string {
	if c := compose("12", code); c != "" {
		return c
	}
	for _, f := range frames {
		if f[1] == code {
			return f[3]
		}
	}
	return ""
}
