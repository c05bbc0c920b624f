package coder

import (
	"strings"
	"testing"
)

// Invented sentences for the round-3 precision mechanisms: acts with no
// doer, topics that are not participants, destinations, spokesmen, foreign
// groups, demonstrative subjects, enrolment and coordinated verbs after
// reported speech.
func TestRound3Precision(t *testing.T) {
	const story = "Britain and London were quiet on Monday.\n\n"
	cases := []struct {
		name, text, want string
	}{
		{"passive with no doer", "Kenyan officials have been accused of fraud.", ""},
		{"passive with a doer far away", "Kenyan officials have been accused of fraud, in a letter sent on Monday, by the Chad government.", "->KENGOV:11"},
		{"passive request with no doer", "Ministers in Britain have been asked to explain the leak.", ""},
		{"arrest implies its doer", "Kenyan officials were arrested on Sunday.", "->KENGOV:17"},
		{"accused of an act hides the act", story + "Ann Wellbeck has been accused of criticising Kenya's president in a speech.", ""},
		{"meeting over a matter", "Leaders meet over Kenyan EU bid", ""},
		{"criticised over a matter", "Mr Pellow in Britain criticised the ministry over Kenya.", "GBR>-:11"},
		{"complaint about an actor", "Voters in Britain complained about Labour.", "GBRCVL>GBRGOV:11"},
		{"deported to a country", "The home secretary in Britain said he would deport them to their home countries, Kenya and Chad.", "GBRGOV>-:13"},
		{"spokesman for a party", "A spokesman for the Liberal Democrats criticised Kenya.", "GBROPP>KEN:11"},
		{"spokesman for an unknown group", story + "A spokesman for the campaign group Brightwater criticised the home secretary.", "GBR>GBRGOV:11"},
		{"foreign detainees keep no state", story + "The home secretary freed the foreign detainees.", "GBRGOV>---CVL:08"},
		{"that as a subject", "The problems are vast, and that calls for an alliance with Kenya.", ""},
		{"signing up is enrolment", "Some 600 schools in Britain have signed up for the mock elections.", ""},
		{"signing up to a treaty", "Kenya signed up to the treaty on Monday.", "KEN>-:05"},
		{"coordinated verb after reported speech", "Mr Pellow of Britain said Kenya needed to act but praised Chad.", "GBR>TCD:05"},
		{"passive after should is no appeal", "Downing Street said Mr Pellow should be judged by results.", ""},
		{"should with an act is an appeal", "Downing Street said Mr Pellow should resign.", "GBRGOV>GBR:02"},
		{"attacks after a modal verb", "Mr Pellow in Kenya said he will not tolerate attacks.", ""},
		{"attacks after a month", "The law came in response to the 11 September attacks in Kenya.", ""},
		{"attacks with a subject", "Kenya attacks Chad over its border policy.", "KEN>TCD:11"},
		{"headline participle is passive", "Kenyan minister accused of fraud", ""},
		{"headline arrest keeps its victim", "Kenyan opposition leader arrested", "->KENOPP:17"},
		{"headline attacked over an issue", "Kenyan minister attacked on border plans", ""},
		{"headline present tense is active", "Kenyan minister attacks Chad", "KENGOV>TCD:11"},
		{"body sentence participle is active", "The Kenyan minister accused Chad of fraud.", "KENGOV>TCD:11"},
		{"accused of an act", "The Kenyan minister has been accused by Chad of attacking Sudan.", "TCD>KENGOV:11"},
		{"subject of a clause after argue", "Kenyan officials argue Mr Pellow of Chad was wrong in criticising Sudan.", "TCD>SDN:11"},
		{"verb after anti- is a noun", "Mr Pellow of Kenya said the anti-hunting lobby is strong.", ""},
		{"verb after as is a noun", "Kenyan police are treating the incident as assault.", ""},
		{"need to is not done", "Kenya needs to talk to Chad.", ""},
		{"unknown addressee before a clause", "Mr Pellow of Kenya told Newsnight the government had failed.", ""},
		{"known addressee", "Mr Pellow of Kenya told the Chad government the plan had failed.", "KEN>TCDGOV:01"},
		{"relative clause holds no subject", "The Kenyan minister, who was sacked over his anti Chad stance, criticised Sudan.", "KENGOV>SDN:11"},
		{"unwanted act", "Mr Pellow of Kenya said workers did not want to go on strike and called for talks with Chad.", "KEN>TCD:02"},
		{"director general is no soldier", "The Kenyan director general warned that firms could be crippled.", "KEN>KENBUS:01"},
		{"general secretary is no soldier", "The Kenyan general secretary criticised Chad.", "KEN>TCD:11"},
		{"a general is a soldier", "The Kenyan general criticised Chad.", "KENMIL>TCD:11"},
		{"poll of what people would do", "Kenyan voters would reject the treaty with Chad, a poll suggests.", ""},
		{"would without a poll", "Kenyan officials said they would reject the treaty with Chad.", "KENGOV>TCD:12"},
		{"coordinated verb after a reported pronoun", "Kenya said it had acted and praised Chad.", "KEN>TCD:05"},
	}
	for _, c := range cases {
		if got := brief(code(t, c.text, "2005-03-01")); got != c.want {
			t.Errorf("%s: %q\n got  %q\n want %q", c.name, c.text, got, c.want)
		}
	}
}

// A description that opens the next sentence gives an unknown person its
// country.
func TestDescribedStranger(t *testing.T) {
	const text = "Britain and London were quiet on Monday.\n\nThe government must act, Ann Keogan has said.\n\n" +
		"The former UN envoy and Kenyan president told BBC Radio the response was weak.\n\nMrs Keogan criticised the British government."
	got := brief(code(t, text, "2005-03-01"))
	if !strings.Contains(got, "KEN>GBRGOV:11") || strings.Contains(got, "GBR>GBRGOV:11") {
		t.Errorf("got %q, want Mrs Keogan coded KEN", got)
	}
	// without the description she belongs to the story's state
	const plain = "Britain and London were quiet on Monday.\n\nThe government must act, Ann Keogan has said.\n\nMrs Keogan criticised the British government."
	if got := brief(code(t, plain, "2005-03-01")); !strings.Contains(got, "GBR>GBRGOV:11") {
		t.Errorf("got %q, want Mrs Keogan coded GBR", got)
	}
}
