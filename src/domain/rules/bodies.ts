import type { Certificate, ELicencePayload, LicenceEnvelope } from '../certificate.ts';
import type {
  Applicant,
  ApplicationBody,
  ApplicationReturnBody,
  AppointmentBody,
  AuthTokenBody,
  CertificateRevocationBody,
  CitizenApplicationBody,
  CitizenApplicationCorrectionBody,
  CitizenApplicationSessionBody,
  CitizenClaimBody,
  CollectionSlotBody,
  DeliveryBody,
  HouseholdRegistrationBody,
  IdentityLinkBody,
  KeyRevocationBody,
  NumberRangeBody,
  PasswordResetBody,
  PoliceArchiveBody,
  PoliceUnitBody,
  ReissueBody,
  ReplacementBody,
  SubscriptionBody,
  VerificationBody,
  VoidBody,
} from './request-bodies.generated.ts';

/**
 * The request bodies of API.md, as they are once schemas/*.schema.json and the semantic rules
 * accept them. The shapes are generated from the schemas (`npm run gen:types`); this file only
 * names the parts the lifecycle talks about.
 */
export type {
  Applicant,
  ApplicationBody,
  ApplicationReturnBody,
  AppointmentBody,
  AuthTokenBody,
  CertificateRevocationBody,
  CitizenApplicationBody,
  CitizenApplicationCorrectionBody,
  CitizenApplicationSessionBody,
  CitizenClaimBody,
  CollectionSlotBody,
  DeliveryBody,
  HouseholdRegistrationBody,
  IdentityLinkBody,
  KeyRevocationBody,
  NewbornWithoutName,
  NumberRangeBody,
  PasswordResetBody,
  PoliceArchiveBody,
  PoliceUnitBody,
  ReissueBody,
  ReplacementBody,
  SubscriptionBody,
  VerificationBody,
  VoidBody,
} from './request-bodies.generated.ts';

export type ApplicantRelation = Applicant['relation'];

/** Birth in an institution: the delivery record supplies the newborn and birth-place items. */
export type ApplicationWithDelivery = Extract<ApplicationBody, { deliveryId: string }>;

/** Birth outside an institution (家庭/其他): no delivery record, a paternity report instead. */
export type ApplicationWithoutDelivery = Exclude<ApplicationBody, ApplicationWithDelivery>;

/** The corrected items of a replacement (换发); number, issuer and issue date are never "corrected". */
export type CertificateChanges = ReplacementBody['changes'];

/** 线上申领: the parents' part of an application (also the body of their correction); the delivery record supplies the rest. */
export type CitizenApplicationItems = CitizenApplicationCorrectionBody;

/** Schema id → the value a valid body of that schema is. */
export interface BodyTypes {
  certificate: Certificate;
  'licence-envelope': LicenceEnvelope;
  'elicence-payload': ELicencePayload;
  'auth-token': AuthTokenBody;
  delivery: DeliveryBody;
  application: ApplicationBody;
  replacement: ReplacementBody;
  reissue: ReissueBody;
  void: VoidBody;
  'household-registration': HouseholdRegistrationBody;
  'citizen-claim': CitizenClaimBody;
  verification: VerificationBody;
  'number-range': NumberRangeBody;
  'key-revocation': KeyRevocationBody;
  'certificate-revocation': CertificateRevocationBody;
  'password-reset': PasswordResetBody;
  subscription: SubscriptionBody;
  'citizen-application': CitizenApplicationBody;
  'citizen-application-correction': CitizenApplicationItems;
  'citizen-application-session': CitizenApplicationSessionBody;
  'application-return': ApplicationReturnBody;
  'police-archive': PoliceArchiveBody;
  'collection-slot': CollectionSlotBody;
  appointment: AppointmentBody;
  'identity-link': IdentityLinkBody;
  'police-unit': PoliceUnitBody;
}

export type SchemaId = keyof BodyTypes;
