// A complete starter scenario in the scenario file format (server/scenarios/spec.py), for the
// authoring page: the form edits its main fields; everything else is edited as YAML.

export const STARTER_YAML = `id: new-mentee
title: "A new scenario"
summary: "One line for the scenario list: who they are and what they bring."
persona:
  name: "Alex Morgan"
  pronouns: "they/them"
  age: 34
  role: "Band 6 staff nurse"
  profession: nurse
  specialty: "Acute medicine"
  career_stage: "Six years qualified"
  workplace: "A busy acute medical unit"
  card: "Alex has been a staff nurse on the same ward for six years. They booked mentoring saying they feel stuck."
  voice: "Warm but tired; short sentences; makes light of things before saying what matters."
presenting_issue: "Feels stuck in their role and unsure whether to apply for a senior post."
opening:
  - "Hi. I'm not sure where to start, really. I suppose I feel a bit stuck at work."
  - "Hello. Someone suggested mentoring. I think I'm at a crossroads with my job."
tags:
  category: career_development
  workwell: better_work
  extra: [career, promotion]
difficulty:
  level: 1
  trust: 0.5
  guarded: 0.3
layers:
  surface:
    - id: the-post
      topics: [job, post, role, promotion, application, interview]
      lines:
        - "There's a band 7 post coming up on the ward and everyone keeps telling me to go for it."
        - "The sister's job is being advertised next month. I haven't decided whether to apply."
      opened_by: "an open question about what is happening at work"
  deeper:
    - id: confidence
      topics: [confidence, doubt, ready, good enough, leadership, manage]
      lines:
        - "Honestly, I'm not sure I'm good enough to lead the team. Some of them have been there longer than me."
        - "I worry I'd be found out. That I'm fine as a nurse but I'd be a rubbish manager."
      opened_by: "a reflection of the hesitation under the practical question"
  core:
    - id: last-time
      topics: [before, last time, failed, rejected, previous, interview]
      lines:
        - "I went for a band 7 two years ago and didn't get it. I've never really got over how that felt."
        - "The last time I applied I was turned down, and I told everyone I didn't mind. I did mind."
      opened_by: "an open question about what makes this decision hard, asked with trust"
feelings:
  - name: stuck
    lines:
      - "Stuck, I think. Like I'm treading water."
      - "A bit flat. Going through the motions."
goals:
  - id: decide
    lines:
      - "I'd like to decide about the post for my own reasons, not because people expect it."
      - "I want to know whether I actually want to lead, or just think I should."
options:
  - id: talk-to-sister
    topics: [sister, manager, talk, ask, conversation]
    lines:
      - "I could ask the current sister what the job is really like day to day."
      - "Maybe I should talk to my manager about what they think I'd need to work on."
  - id: shadow
    topics: [shadow, try, experience, act up, cover]
    lines:
      - "I could ask to act up for a few shifts and see how it feels."
      - "Perhaps I could shadow the sister for a week before deciding."
commitment:
  step: "Ask the ward sister for half an hour to talk about what the role involves"
  when: "by Friday"
  lines:
    - "By Friday I'll ask the sister for half an hour to talk about what the job is really like."
    - "I'll book half an hour with the sister before the end of this week."
  confidence: 7
yes_but:
  - "I could apply, but I'd probably not get it anyway."
  - "Yes, I could talk to my manager, but she's so busy."
  - "Maybe, but then who would cover my shifts?"
compliance:
  - "Yes, that makes sense. I'll think about it."
  - "Sure, I could do that."
withdrawal:
  - "It's fine. It's not a big deal really."
  - "I'm probably overthinking it."
short_answers:
  - "Yes."
  - "Not really."
  - "Sometimes."
corrections:
  - "Not quite. It isn't that I don't want it. I'm scared of wanting it."
  - "No, I get on with the team. It's me I'm not sure about."
signposting:
  needed: false
  to: []
  accept_lines:
    - "That might help, yes. I'll look into it."
`;

export const PROFESSIONS = ["doctor", "nurse", "midwife", "paramedic", "physiotherapist", "medical_student", "pharmacist", "occupational_therapist"];
export const WORKWELL = ["better_work", "better_relationships", "better_specialist_support", "better_health"];
export const CATEGORIES = ["career_development", "work_life_balance", "assessments_exams", "colleague_relationships",
  "career_choice", "workload", "stress", "taking_opportunity", "morale", "developing_teams", "managing_change",
  "managing_crisis", "engagement", "self_confidence", "clinical_situations", "work_after_illness", "dealing_with_illness",
  "personal_relationships", "bullying_harassment", "return_to_work", "mental_health", "suicidal_ideation",
  "physical_health", "dealing_with_injury"];
