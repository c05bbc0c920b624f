package coder

import "testing"

// Invented sentences for the round-5 precision mechanisms: trigger words in
// another sense (aid as a kind of body, safeguarding, natural disasters,
// pledged defiance, leaving a body, arguments as ammunition, kept
// promises, acknowledged rulings), refusing to deny, dismissing an idea,
// claims by hearsay adverbs, books and trailing claimants, kinds of act
// after "any", "enough to", statements whose quotation comes first,
// treaties named after places, titled surnames that are town names,
// relative clauses that describe a class, withheld choices, acts that a
// plan holds, headlines' futures and elections fought.
func TestRound5Precision(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"aid as a kind of charity", "The Kenyan government funds aid charities in Chad.", ""},
		{"aid given", "The Kenyan government aided Chad.", "KENGOV>TCD:07"},
		{"safeguarding is not protection", "Kenyan officials said the law would protect the character of Chad.", ""},
		{"a disaster strikes", "The earthquake which struck Chad killed dozens.", ""},
		{"a strike by soldiers", "Kenyan soldiers struck Chad rebels.", "KENMIL>TCDREB:19"},
		{"pledged opposition is no cooperation", "The Kenyan opposition pledged to oppose the Chad treaty.", ""},
		{"pledged cooperation", "The Kenyan opposition pledged to cooperate with Chad.", "KENOPP>TCD:03"},
		{"a kept pledge", "Kenyan officials said ministers had kept to their pledge to review the law.", ""},
		{"leaving a union", "The aim of the Kenyan party is to withdraw from the EU.", ""},
		{"arguments, not weapons", "Kenyan officials hope the report will give them ammunition for the campaign.", ""},
		{"refused to deny", "The Kenyan minister refused to deny the claim that Chad had paid him.", "KENGOV>-:01"},
		{"refused to meet", "The Kenyan minister refused to meet Chad officials.", "KENGOV>TCDGOV:12"},
		{"an idea dismissed", "Mr Obare of Kenya rejected the idea that Chad posed a threat.", "KEN>TCD:01"},
		{"an alleged killing", "A Chad civilian allegedly killed by Kenyan troops was buried.", ""},
		{"a killing", "A Chad civilian killed by Kenyan troops was buried.", "KENMIL>TCDCVL:19"},
		{"a book's claim", "Mr Obare's book claimed that the Kenyan president criticised Chad.", ""},
		{"a trailing claim", "The Kenyan president criticised Chad, a new book claims.", ""},
		{"a plain criticism", "The Kenyan president criticised Chad.", "KENGOV>TCD:11"},
		{"any such attack", "The Kenyan minister spoke of the day after any such attack on Chad.", ""},
		{"not enough to protect", "The Kenyan government did not do enough to protect Chad.", ""},
		{"quotation before told", "\"The Chad plan is a shambles,\" the Kenyan president told Chad radio.", "KENGOV>-:11"},
		{"deserves better", "The Kenyan president told reporters: \"Chad deserves better.\"", "KENGOV>TCD:11"},
		{"a ruling recognised", "The Kenyan government failed to recognise a House of Lords ruling on detention.", ""},
		{"a need recognised", "The Kenyan minister said he recognised the need for reform in Chad.", ""},
		{"a state recognised", "Kenya recognised Chad.", "KEN>TCD:05"},
		{"a titled surname is no town", "Kenyan police arrested Mr Houston in Nairobi.", "KENCOP>KEN:17"},
		{"a town", "Kenyan troops attacked Houston.", "KENMIL>USA:19"},
		{"a class of people", "Kenyan officials said the terrorists who threaten Chad would fail.", ""},
		{"a threat made", "Kenyan rebels threaten Chad.", "KENREB>TCD:13"},
		{"withholding a choice", "The Kenyan opposition said the plan was denying people choice in Chad.", ""},
		{"arrest in a plan", "Kenyan officials expressed misgivings about plans for keeping Chad and Sudanese suspects under house arrest.", "KENGOV>TCD:01 KENGOV>SDN:01"},
		{"arrest done", "Kenyan police kept Chad suspects under house arrest.", "KENCOP>KENCVL:17"},
		{"a second clause after a plan", "Mr Obare of Kenya said Kenya would set out plans for tackling abuse in the next few weeks and attacked the Chad plans.", "KEN>TCD:11"},
		{"a headline's future", "Kenya to attack Chad rebels", ""},
		{"a headline's past", "Kenyan troops attacked Chad rebels", "KENMIL>TCDREB:19"},
		{"an election fought", "Kenyan rebels fought the election in Chad.", ""},
		{"place of a treaty", "The Kenyan government signed the Kyoto protocol.", "KENGOV>-:05"},
	}
	for _, c := range cases {
		if got := brief(code(t, c.text, "2005-03-01")); got != c.want {
			t.Errorf("%s: %q\n got  %q\n want %q", c.name, c.text, got, c.want)
		}
	}
}
