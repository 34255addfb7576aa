/* Stand-in for the MSDK's mxc.h, written for ai8x network tools.
 *
 * A generated MAX78000/MAX78002 CNN project (cnn.c, main.c, main_riscv.c) names a few dozen MSDK registers,
 * constants and functions. This header declares them so that the project compiles without the MSDK: on the PC for
 * the hardware-image harness, and for a Cortex-M4 for the Arm compile check. Peripheral register blocks are plain
 * variables (defined in standin.c for the harness); the functions do nothing the harness observes. The CNN
 * accelerator itself is always reached through absolute addresses, never through these names. */
#ifndef AI8X_STANDIN_MXC_H
#define AI8X_STANDIN_MXC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- Register blocks (only the members generated code reads or writes) --- */

typedef struct {
  volatile uint32_t sysctrl, rst0, clkctrl, pm, pclkdiv, pclkdis0, memctrl, memz, sysst, rst1, pclkdis1, eventen;
  volatile uint32_t revision, sysie, eccerr, eccced, eccie, eccaddr, gpr0, ipll_ctrl, ito_ctrl;
  /* Names of the oldest generated code (MAX78000 before the MSDK renamed them). */
  volatile uint32_t clkcn, pckdiv, perckcn, perckcn1;
} mxc_gcr_regs_t;

typedef struct {
  volatile uint32_t reg0, reg1, reg2, reg3, reg4, reg5;
} mxc_gcfr_regs_t;

typedef struct {
  volatile uint32_t semaphores[8];
  volatile uint32_t irq0, mail0, irq1, mail1, status, irqr0, irqr1;
} mxc_sema_regs_t;

typedef struct {
  volatile uint32_t fctrl0, autocal0, autocal1, autocal2, urvbootaddr, urvctrl;
} mxc_fcr_regs_t;

typedef struct {
  volatile uint32_t lpctrl, lpwkfl0, lpwken0, lpwkfl1, lpwken1, lpwkfl2, lpwken2, lpwkfl3, lpwken3;
  volatile uint32_t lppwst, lppwen, lpmemsd, gp0, gp1, lpwkst, lpwkst0, lpwkst1, lpwkst2, lpwkst3, lpwken;
} mxc_pwrseq_regs_t;

typedef struct {
  volatile uint32_t en0, en0_set, en0_clr, outen, outen_set, outen_clr, out, out_set, out_clr, in;
  volatile uint32_t intmode, intpol, inten, inten_set, inten_clr, intfl, intfl_clr, padctrl0, padctrl1;
  volatile uint32_t en1, en2, vssel, ds0, ds1, ps;
} mxc_gpio_regs_t;

typedef struct {
  volatile uint32_t cnt, cmp, pwm, intfl, ctrl0, nolcmp, ctrl1, wkfl;
} mxc_tmr_regs_t;

typedef struct {
  volatile uint32_t info, sz, ctrl, invalidate;
} mxc_icc_regs_t;

extern mxc_gcr_regs_t ai8x_standin_gcr;
extern mxc_gcfr_regs_t ai8x_standin_gcfr;
extern mxc_sema_regs_t ai8x_standin_sema;
extern mxc_fcr_regs_t ai8x_standin_fcr;
extern mxc_pwrseq_regs_t ai8x_standin_pwrseq;
extern mxc_gpio_regs_t ai8x_standin_gpio[4];
extern mxc_tmr_regs_t ai8x_standin_tmr[6];
extern mxc_icc_regs_t ai8x_standin_icc[2];

#define MXC_GCR (&ai8x_standin_gcr)
#define MXC_GCFR (&ai8x_standin_gcfr)
#define MXC_SEMA (&ai8x_standin_sema)
#define MXC_FCR (&ai8x_standin_fcr)
#define MXC_PWRSEQ (&ai8x_standin_pwrseq)
#define MXC_GPIO0 (&ai8x_standin_gpio[0])
#define MXC_GPIO1 (&ai8x_standin_gpio[1])
#define MXC_GPIO2 (&ai8x_standin_gpio[2])
#define MXC_GPIO3 (&ai8x_standin_gpio[3])
#define MXC_GPIO_GET_GPIO(i) (&ai8x_standin_gpio[(i)])
#define MXC_TMR0 (&ai8x_standin_tmr[0])
#define MXC_TMR1 (&ai8x_standin_tmr[1])
#define MXC_TMR2 (&ai8x_standin_tmr[2])
#define MXC_TMR3 (&ai8x_standin_tmr[3])
#define MXC_TMR4 (&ai8x_standin_tmr[4])
#define MXC_TMR5 (&ai8x_standin_tmr[5])
#define MXC_ICC0 (&ai8x_standin_icc[0])
#define MXC_ICC1 (&ai8x_standin_icc[1])
#define MXC_ICC MXC_ICC0

/* --- Fields and field values --- */

#define MXC_F_GCR_PCLKDIV_CNNCLKDIV ((uint32_t) 0x7u << 14)
#define MXC_S_GCR_PCLKDIV_CNNCLKDIV_DIV2 ((uint32_t) 0x0u << 14)
#define MXC_S_GCR_PCLKDIV_CNNCLKDIV_DIV4 ((uint32_t) 0x1u << 14)
#define MXC_S_GCR_PCLKDIV_CNNCLKDIV_DIV8 ((uint32_t) 0x2u << 14)
#define MXC_S_GCR_PCLKDIV_CNNCLKDIV_DIV16 ((uint32_t) 0x3u << 14)
#define MXC_S_GCR_PCLKDIV_CNNCLKDIV_DIV1 ((uint32_t) 0x4u << 14)
#define MXC_F_GCR_PCLKDIV_CNNCLKSEL ((uint32_t) 0x3u << 17)
#define MXC_S_GCR_PCLKDIV_CNNCLKSEL_PCLK ((uint32_t) 0x0u << 17)
#define MXC_S_GCR_PCLKDIV_CNNCLKSEL_ISO ((uint32_t) 0x1u << 17)
#define MXC_S_GCR_PCLKDIV_CNNCLKSEL_IPLL ((uint32_t) 0x2u << 17)
#define MXC_S_GCR_PCLKDIV_CNNCLKSEL_ITO ((uint32_t) 0x2u << 17)
#define MXC_F_GCR_IPLL_CTRL_EN ((uint32_t) 1u << 0)
#define MXC_F_GCR_IPLL_CTRL_RDY ((uint32_t) 1u << 29)
#define MXC_F_GCR_ITO_CTRL_EN ((uint32_t) 1u << 0)
#define MXC_F_GCR_ITO_CTRL_RDY ((uint32_t) 1u << 29)
#define MXC_F_GCR_CLKCTRL_IPO_EN ((uint32_t) 1u << 19)
#define MXC_F_GCR_CLKCTRL_IPO_RDY ((uint32_t) 1u << 27)
#define MXC_S_GCR_CLKCTRL_SYSCLK_SEL_IPO ((uint32_t) 0x4u << 9)
#define MXC_F_GCR_PCLKDIS0_CNN ((uint32_t) 1u << 25)
#define MXC_F_GCR_PERCKCN1_SMPHRD ((uint32_t) 1u << 9)
#define MXC_F_GCR_PERCKCN1_CPU1 ((uint32_t) 1u << 31)
#define MXC_F_GCR_CLKCN_HIRC96M_EN ((uint32_t) 1u << 19)
#define MXC_F_GCR_CLKCN_HIRC96M_RDY ((uint32_t) 1u << 27)
#define MXC_S_GCR_CLKCN_CLKSEL_HIRC96 ((uint32_t) 0x4u << 9)
#define MXC_F_SEMA_IRQ0_EN ((uint32_t) 1u << 0)
#define MXC_F_SEMA_IRQ0_CM4_IRQ ((uint32_t) 1u << 16)
#define MXC_F_SEMA_IRQ1_EN ((uint32_t) 1u << 0)
#define MXC_F_SEMA_IRQ1_RV32_IRQ ((uint32_t) 1u << 16)
#define MXC_S_SEMA_IRQR_IRQEN_EN ((uint32_t) 1u << 0)
#define MXC_S_SEMA_IRQR_IRQ_SET ((uint32_t) 1u << 16)
#define MXC_S_SEMA_IRQR_IRQ_CLR ((uint32_t) 0u << 16)
#define MXC_F_PWRSEQ_LPPWEN_CPU1 ((uint32_t) 1u << 10)

#define MXC_GPIO_PIN_0 ((uint32_t) 1u << 0)
#define MXC_GPIO_PIN_1 ((uint32_t) 1u << 1)
#define MXC_GPIO_PIN_2 ((uint32_t) 1u << 2)
#define MXC_GPIO_PIN_3 ((uint32_t) 1u << 3)
#define MXC_GPIO_PIN_4 ((uint32_t) 1u << 4)
#define MXC_GPIO_PIN_5 ((uint32_t) 1u << 5)
#define MXC_GPIO_PIN_6 ((uint32_t) 1u << 6)
#define MXC_GPIO_PIN_7 ((uint32_t) 1u << 7)
#define MXC_GPIO_PIN_8 ((uint32_t) 1u << 8)
#define MXC_GPIO_PIN_9 ((uint32_t) 1u << 9)
#define MXC_GPIO_PIN_10 ((uint32_t) 1u << 10)
#define MXC_GPIO_PIN_11 ((uint32_t) 1u << 11)
#define MXC_GPIO_PIN_12 ((uint32_t) 1u << 12)
#define MXC_GPIO_PIN_13 ((uint32_t) 1u << 13)
#define MXC_GPIO_PIN_14 ((uint32_t) 1u << 14)
#define MXC_GPIO_PIN_15 ((uint32_t) 1u << 15)
#define MXC_GPIO_PIN_16 ((uint32_t) 1u << 16)
#define MXC_GPIO_PIN_17 ((uint32_t) 1u << 17)
#define MXC_GPIO_PIN_18 ((uint32_t) 1u << 18)
#define MXC_GPIO_PIN_19 ((uint32_t) 1u << 19)
#define MXC_GPIO_PIN_20 ((uint32_t) 1u << 20)
#define MXC_GPIO_PIN_21 ((uint32_t) 1u << 21)
#define MXC_GPIO_PIN_22 ((uint32_t) 1u << 22)
#define MXC_GPIO_PIN_23 ((uint32_t) 1u << 23)
#define MXC_GPIO_PIN_24 ((uint32_t) 1u << 24)
#define MXC_GPIO_PIN_25 ((uint32_t) 1u << 25)
#define MXC_GPIO_PIN_26 ((uint32_t) 1u << 26)
#define MXC_GPIO_PIN_27 ((uint32_t) 1u << 27)
#define MXC_GPIO_PIN_28 ((uint32_t) 1u << 28)
#define MXC_GPIO_PIN_29 ((uint32_t) 1u << 29)
#define MXC_GPIO_PIN_30 ((uint32_t) 1u << 30)
#define MXC_GPIO_PIN_31 ((uint32_t) 1u << 31)

/* --- Library types and constants --- */

typedef enum {
  MXC_SYS_PERIPH_CLOCK_GPIO0, MXC_SYS_PERIPH_CLOCK_GPIO1, MXC_SYS_PERIPH_CLOCK_GPIO2, MXC_SYS_PERIPH_CLOCK_DMA,
  MXC_SYS_PERIPH_CLOCK_TMR0, MXC_SYS_PERIPH_CLOCK_TMR1, MXC_SYS_PERIPH_CLOCK_TMR2, MXC_SYS_PERIPH_CLOCK_TMR3,
  MXC_SYS_PERIPH_CLOCK_TMR4, MXC_SYS_PERIPH_CLOCK_TMR5, MXC_SYS_PERIPH_CLOCK_CNN, MXC_SYS_PERIPH_CLOCK_SMPHR,
  MXC_SYS_PERIPH_CLOCK_CPU1, MXC_SYS_PERIPH_CLOCK_PT, MXC_SYS_PERIPH_CLOCK_UART0, MXC_SYS_PERIPH_CLOCK_PCIF
} mxc_sys_periph_clock_t;

typedef enum {
  MXC_SYS_CLOCK_IPO, MXC_SYS_CLOCK_IPLL, MXC_SYS_CLOCK_ISO, MXC_SYS_CLOCK_ITO, MXC_SYS_CLOCK_IBRO,
  MXC_SYS_CLOCK_INRO, MXC_SYS_CLOCK_ERTCO, MXC_SYS_CLOCK_ERFO, MXC_SYS_CLOCK_EXTCLK
} mxc_sys_system_clock_t;

typedef enum { MXC_GPIO_PAD_NONE, MXC_GPIO_PAD_PULL_UP, MXC_GPIO_PAD_PULL_DOWN, MXC_GPIO_PAD_WEAK_PULL_UP, MXC_GPIO_PAD_WEAK_PULL_DOWN } mxc_gpio_pad_t;
typedef enum { MXC_GPIO_FUNC_IN, MXC_GPIO_FUNC_OUT, MXC_GPIO_FUNC_ALT1, MXC_GPIO_FUNC_ALT2, MXC_GPIO_FUNC_ALT3, MXC_GPIO_FUNC_ALT4 } mxc_gpio_func_t;
typedef enum { MXC_GPIO_VSSEL_VDDIO, MXC_GPIO_VSSEL_VDDIOH } mxc_gpio_vssel_t;
typedef enum { MXC_GPIO_DRVSTR_0, MXC_GPIO_DRVSTR_1, MXC_GPIO_DRVSTR_2, MXC_GPIO_DRVSTR_3 } mxc_gpio_drvstr_t;

typedef struct {
  mxc_gpio_regs_t *port;
  uint32_t mask;
  mxc_gpio_func_t func;
  mxc_gpio_pad_t pad;
  mxc_gpio_vssel_t vssel;
  mxc_gpio_drvstr_t drvstr;
} mxc_gpio_cfg_t;

typedef enum {
  CNN_IRQn = 66, RISCV_IRQn = 67, RV32_IRQn = 67, WUT_IRQn = 69, TMR0_IRQn = 21, TMR1_IRQn = 22
} IRQn_Type;

#define E_NO_ERROR 0
#define E_SUCCESS 0
#define E_BAD_PARAM (-3)

#define USEC(us) ((uint32_t) (us))
#define MSEC(ms) ((uint32_t) (ms) * 1000u)
#define SEC(s) ((uint32_t) (s) * 1000000u)

extern uint32_t SystemCoreClock;
extern volatile void const *__FlashStart_;

/* --- Library functions --- */

void SystemCoreClockUpdate(void);
int MXC_SYS_Clock_Select(mxc_sys_system_clock_t clock);
int MXC_SYS_ClockSourceEnable(mxc_sys_system_clock_t clock);
void MXC_SYS_ClockEnable(mxc_sys_periph_clock_t clock);
void MXC_SYS_ClockDisable(mxc_sys_periph_clock_t clock);
void MXC_SYS_Reset_Periph(int reset);
int MXC_NVIC_SetVector(IRQn_Type irq, void (*handler)(void));
void NVIC_SetVector(IRQn_Type irq, uint32_t handler);
void NVIC_EnableIRQ(IRQn_Type irq);
void NVIC_DisableIRQ(IRQn_Type irq);
void NVIC_ClearPendingIRQ(IRQn_Type irq);
void NVIC_EnableEVENT(IRQn_Type irq);
void NVIC_DisableEVENT(IRQn_Type irq);
void NVIC_ClearPendingEVENT(IRQn_Type irq);
void __enable_irq(void);
void __disable_irq(void);
void __WFI(void);
void __NOP(void);
int MXC_GPIO_Config(const mxc_gpio_cfg_t *cfg);
void MXC_GPIO_OutSet(mxc_gpio_regs_t *port, uint32_t mask);
void MXC_GPIO_OutClr(mxc_gpio_regs_t *port, uint32_t mask);
void MXC_GPIO_OutToggle(mxc_gpio_regs_t *port, uint32_t mask);
void MXC_ICC_Enable(mxc_icc_regs_t *icc);
void MXC_ICC_Disable(mxc_icc_regs_t *icc);
int MXC_Delay(uint32_t microseconds);
void MXC_TMR_SW_Start(mxc_tmr_regs_t *tmr);
uint32_t MXC_TMR_SW_Stop(mxc_tmr_regs_t *tmr);
void MXC_TMR_Delay(mxc_tmr_regs_t *tmr, uint32_t microseconds);
void MXC_LP_EnterSleepMode(void);
void MXC_LP_EnterLowPowerMode(void);
void MXC_LP_EnterDeepSleepMode(void);
void LED_On(unsigned int led);
void LED_Off(unsigned int led);
void LED_Toggle(unsigned int led);
int Console_Init(void);
void Debug_Init(void);

/* CMSIS-NN, which the MSDK ships: the softmax of 8-bit outputs that main.c calls for --softmax. */
typedef int8_t q7_t;
typedef int16_t q15_t;
void arm_softmax_q7_q15(const q7_t *vec_in, const uint16_t dim_vec, q15_t *p_out);

#ifdef __cplusplus
}
#endif

#endif
